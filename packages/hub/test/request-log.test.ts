import { execFileSync } from "node:child_process";
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "./http-helpers.js";
import { startTestHub, type TestHub } from "./start-test-hub.js";

// The hub's log as operators read it: pino JSON lines, one per request, 5xx with their stack.
describe("request log", () => {
  let hub: TestHub;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    hub = await startTestHub({
      logLevel: "info",
      logStream: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
  });
  afterAll(async () => {
    await hub?.close();
  });

  it("writes one line per request with method, route, path, status, ms and user, never the token", async () => {
    await api(hub).post("/api/repos/create", { name: "logged" });
    const signed = await api(hub).get("/api/models/alice/logged/tree/main?expand=true&secret=query");
    expect(signed.status).toBe(200);
    const line = lines.find((l) => l.route === "/api/models/:ns/:repo/tree/:rev");
    expect(line).toMatchObject({
      level: 30,
      msg: "request",
      method: "GET",
      path: "/api/models/alice/logged/tree/main",
      status: 200,
      user: "alice",
    });
    expect(typeof line?.ms).toBe("number");
    expect(lines.filter((l) => l.path === "/api/models/alice/logged/tree/main")).toHaveLength(1);
    const text = JSON.stringify(lines);
    expect(text).not.toContain(hub.token);
    expect(text).not.toContain("secret=query");
  });

  it("logs a 5xx with the error's stack, and answers the client without internals", async () => {
    await api(hub).post("/api/repos/create", { name: "broken" });
    // The repository's root tree is corrupted on disk underneath the hub: git fails, the hub answers 500.
    const gitDir = join(hub.dataDir, "repos", "models", "alice", "broken.git");
    const tree = execFileSync("git", ["--git-dir", gitDir, "rev-parse", "main^{tree}"], {
      encoding: "utf8",
    }).trim();
    const object = join(gitDir, "objects", tree.slice(0, 2), tree.slice(2));
    await chmod(object, 0o644);
    await writeFile(object, "not a zlib stream");
    const res = await api(hub).get("/api/models/alice/broken/tree/main");
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain(hub.dataDir);
    const error = lines.find((l) => l.level === 50 && typeof l.err === "object");
    expect((error?.err as { stack?: string } | undefined)?.stack).toMatch(/Error[\s\S]*\n\s+at /);
    expect(lines.find((l) => l.msg === "request failed")).toMatchObject({ status: 500, user: "alice" });
  });
});
