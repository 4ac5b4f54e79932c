import { describe, expect, it } from "vitest";
import { secretsCheck } from "./checks/secrets/secrets-check.js";
import { MemorySource } from "./reader/byte-source.js";
import { scanSource } from "./scan.js";
import { scanPathKey } from "./scan-path-key.js";

const AWS_SECRET = 'aws_secret_access_key = "Qx7pLm2RtV9sKw4ZbN8cYh3JdF6gT1uAeXo5Wi0B"\n';

async function verdict(text: string, path: string) {
  const report = await scanSource(new MemorySource(new TextEncoder().encode(text)), path, {
    checks: [secretsCheck()],
  });
  return report.verdict;
}

describe("scanPathKey", () => {
  it("tells lock files from other names, case-insensitively, in any folder", () => {
    expect(scanPathKey("poetry.lock")).toBe("lock-file");
    expect(scanPathKey("app/Package-Lock.json")).toBe("lock-file");
    expect(scanPathKey("prod.env")).toBe("");
    expect(scanPathKey("poetry.lock/prod.env")).toBe("");
  });

  it("paths with the same key get the same verdict; different keys may differ", async () => {
    const byKey = new Map<string, string>();
    for (const path of ["poetry.lock", "x/yarn.lock", "prod.env", "config.json", "a/b/c.txt"]) {
      const v = await verdict(AWS_SECRET, path);
      const key = scanPathKey(path);
      expect(byKey.get(key) ?? v, path).toBe(v);
      byKey.set(key, v);
    }
    expect(byKey.get("lock-file")).toBe("safe");
    expect(byKey.get("")).toBe("dangerous");
  });
});
