import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "./http-helpers.js";
import { startTestHub, type TestHub } from "./start-test-hub.js";

// Requests that race for the same row. On SQLite one connection runs transactions one at a time; on
// PostgreSQL they run side by side, so what keeps them apart is the schema (unique indexes), not luck.
describe("concurrent writes", () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
    expect((await api(hub).post("/api/repos/create", { name: "busy" })).status).toBe(200);
  });
  afterAll(() => hub.close());

  it("numbers discussions opened at once 1..N, each once", async () => {
    const opened = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api(hub).post("/api/models/alice/busy/discussions", { title: `question ${i}` }),
      ),
    );
    expect(opened.map((r) => r.status)).toEqual(Array(12).fill(200));
    const nums = await Promise.all(opened.map(async (r) => ((await r.json()) as { num: number }).num));
    expect(nums.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it("creates a repository once when two requests ask for the same name", async () => {
    const [a, b] = await Promise.all([
      api(hub).post("/api/repos/create", { name: "twin" }),
      api(hub).post("/api/repos/create", { name: "twin" }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
  });
});
