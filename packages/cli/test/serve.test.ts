import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const bin = resolve(dirname(fileURLToPath(import.meta.url)), "..", "bin", "modelgate.js");
const data = mkdtempSync(join(tmpdir(), "modelgate-serve-"));
let server: ChildProcess | undefined;

afterAll(() => {
  server?.kill("SIGTERM");
  rmSync(data, { recursive: true, force: true });
});

describe("modelgate serve and user create", () => {
  it("creates a user whose token the served hub accepts", async () => {
    const created = spawnSync(process.execPath, [bin, "user", "create", "alice", "--data", data], {
      encoding: "utf8",
    });
    expect(created.status).toBe(0);
    const token = created.stdout.trim().split("\n").pop() ?? "";
    expect(token).toMatch(/^hf_[A-Za-z0-9]{30,}$/);

    server = spawn(process.execPath, [bin, "serve", "--port", "0", "--data", data], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const url = await new Promise<string>((resolveUrl, reject) => {
      server?.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m?.[1]) resolveUrl(m[1]);
      });
      server?.on("exit", (code) => reject(new Error(`serve exited with ${code}`)));
    });
    const whoami = await fetch(`${url}/api/whoami-v2`, { headers: { authorization: `Bearer ${token}` } });
    expect(whoami.status).toBe(200);
    expect(((await whoami.json()) as { name: string }).name).toBe("alice");
    const anonymous = await fetch(`${url}/api/whoami-v2`);
    expect(anonymous.status).toBe(401);
    // One pino line per request: method, route, status, ms, user; never the token.
    await new Promise((r) => setTimeout(r, 200));
    const lines = out
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = lines.filter((l) => l.route === "/api/whoami-v2");
    expect(requests.map((l) => [l.method, l.status, l.user])).toEqual([
      ["GET", 200, "alice"],
      ["GET", 401, null],
    ]);
    expect(typeof requests[0]?.ms).toBe("number");
    expect(out).not.toContain(token);
  });

  it("rejects a bad log level as a usage error", () => {
    const run = spawnSync(process.execPath, [bin, "serve", "--port", "0", "--log-level", "loud"], {
      encoding: "utf8",
    });
    expect([run.status, run.stderr]).toEqual([2, expect.stringMatching(/--log-level loud/)]);
  });

  it("rejects a bad rescan rate and an invalid scan policy file as usage errors, before starting", () => {
    const serve = (...args: string[]) =>
      spawnSync(process.execPath, [bin, "serve", "--port", "0", "--data", data, ...args], {
        encoding: "utf8",
      });
    const rate = serve("--rescan-rate", "-1");
    expect([rate.status, rate.stderr]).toEqual([2, expect.stringMatching(/--rescan-rate -1/)]);
    const policyFile = join(data, "policy.json");
    writeFileSync(policyFile, JSON.stringify({ version: 1, rules: [{ module: "os", safety: "innocuous" }] }));
    const policy = serve("--scan-policy", policyFile);
    expect([policy.status, policy.stderr]).toEqual([
      2,
      expect.stringMatching(/--scan-policy .*rules\[0\]\.name/),
    ]);
  });

  it("rejects a bad port as a usage error", () => {
    expect(spawnSync(process.execPath, [bin, "serve", "--port", "http"], { encoding: "utf8" }).status).toBe(
      2,
    );
  });
});
