import { describe, expect, it } from "vitest";
import { describeDaemon } from "./daemon-info.js";

describe("describeDaemon", () => {
  it("names the engine, database, address and ModelGate signature status", () => {
    expect(
      describeDaemon({
        address: "tcp://127.0.0.1:3310",
        version: { engine: "ClamAV 1.4.6", databaseVersion: 27490, databaseDate: "Tue Nov 25 07:36:02 2026" },
        modelgateSignatures: true,
      }),
    ).toBe(
      "malware: ClamAV 1.4.6 (database 27490, Tue Nov 25 07:36:02 2026) at tcp://127.0.0.1:3310, ModelGate pickle signatures loaded",
    );
    expect(
      describeDaemon({ address: "unix:/x", version: { engine: "ClamAV 1.4.6" }, modelgateSignatures: false }),
    ).toContain("ModelGate pickle signatures not loaded");
  });

  it("says the daemon is unavailable and why", () => {
    expect(describeDaemon({ address: "unix:/x", error: "ECONNREFUSED" })).toBe(
      "malware: clamd at unix:/x unavailable (ECONNREFUSED)",
    );
  });
});
