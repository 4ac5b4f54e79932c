import { describe, expect, it } from "vitest";
import { formatClamdAddress, parseClamdAddress } from "./clamd-address.js";

describe("parseClamdAddress", () => {
  it("accepts unix sockets and TCP hosts, IPv6 in brackets", () => {
    expect(parseClamdAddress("unix:/run/clamav/clamd.ctl")).toEqual({
      kind: "unix",
      path: "/run/clamav/clamd.ctl",
    });
    expect(parseClamdAddress("tcp://127.0.0.1:3310")).toEqual({ kind: "tcp", host: "127.0.0.1", port: 3310 });
    expect(parseClamdAddress("tcp://clamd.internal:65535")).toEqual({
      kind: "tcp",
      host: "clamd.internal",
      port: 65535,
    });
    expect(parseClamdAddress("tcp://[::1]:3310")).toEqual({ kind: "tcp", host: "::1", port: 3310 });
  });

  it("rejects anything else with the accepted forms in the message", () => {
    for (const bad of [
      "",
      "unix:",
      "/run/clamd.sock",
      "tcp://host",
      "tcp://host:0",
      "tcp://host:65536",
      "http://h:1",
    ]) {
      expect(() => parseClamdAddress(bad), bad).toThrow(/unix:\/path nor tcp:\/\/host:port|no socket path/);
    }
  });

  it("formats back to the --clamd spelling", () => {
    for (const text of ["unix:/tmp/c.sock", "tcp://127.0.0.1:3310", "tcp://[::1]:3310"]) {
      expect(formatClamdAddress(parseClamdAddress(text))).toBe(text);
    }
  });
});
