import { describe, expect, it } from "vitest";
import { parseScanReply, parseVersionReply } from "./clamd-reply.js";

describe("parseScanReply", () => {
  it("reads clean, found, size-limit and error replies", () => {
    expect(parseScanReply("stream: OK")).toEqual({ kind: "clean" });
    expect(parseScanReply("stream: Win.Test.EICAR_HDB-1 FOUND")).toEqual({
      kind: "found",
      signature: "Win.Test.EICAR_HDB-1",
    });
    expect(parseScanReply("INSTREAM size limit exceeded. ERROR")).toEqual({
      kind: "too-large",
      message: "INSTREAM size limit exceeded. ERROR",
    });
    expect(parseScanReply("stream: Can't allocate memory ERROR")).toEqual({
      kind: "error",
      message: "stream: Can't allocate memory ERROR",
    });
    expect(parseScanReply("")).toEqual({ kind: "error", message: "empty reply" });
  });

  it("never reads an unknown reply as clean", () => {
    for (const reply of ["stream: OKAY", "OK stream", "PONG", "stream: FOUND OK"]) {
      expect(parseScanReply(reply).kind, reply).not.toBe("clean");
    }
  });
});

describe("parseVersionReply", () => {
  it("reads the engine and, when present, the official database version and date", () => {
    expect(parseVersionReply("ClamAV 1.4.6")).toEqual({ engine: "ClamAV 1.4.6" });
    expect(parseVersionReply("ClamAV 1.4.6/27490/Tue Nov 25 07:36:02 2026")).toEqual({
      engine: "ClamAV 1.4.6",
      databaseVersion: 27490,
      databaseDate: "Tue Nov 25 07:36:02 2026",
    });
  });
});
