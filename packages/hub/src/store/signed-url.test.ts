import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signGrant, verifyGrant } from "./signed-url.js";

describe("signed LFS upload URLs", () => {
  const key = randomBytes(32);
  const grant = { repoId: 1, oid: "a".repeat(64), size: 10, expires: 2_000 };
  const sig = signGrant(key, grant);

  it("accepts its own signature before expiry", () => {
    expect(verifyGrant(key, grant, sig, 1_999)).toBe(true);
    expect(verifyGrant(key, grant, sig, 2_000)).toBe(true);
  });
  it("rejects an expired grant, another key, or any changed field", () => {
    expect(verifyGrant(key, grant, sig, 2_001)).toBe(false);
    expect(verifyGrant(randomBytes(32), grant, sig, 0)).toBe(false);
    for (const changed of [{ repoId: 2 }, { oid: "b".repeat(64) }, { size: 11 }, { expires: 3_000 }]) {
      expect(verifyGrant(key, { ...grant, ...changed }, sig, 0)).toBe(false);
    }
    expect(verifyGrant(key, grant, "", 0)).toBe(false);
  });
});
