import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../db/open-database.js";
import { createUser } from "./create-user.js";
import { hashToken } from "./tokens.js";

describe("createUser", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "create-user-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("returns an hf_ write token and stores only its hash", async () => {
    const token = await createUser({ dataDir: dir }, "carol", "lab");
    expect(token).toMatch(/^hf_[A-Za-z]{34}$/);
    const db = await openDatabase({ dataDir: dir });
    try {
      const row = await db.selectFrom("tokens").selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({ hash: hashToken(token), role: "write" });
      const org = await db
        .selectFrom("accounts")
        .selectAll()
        .where("name", "=", "lab")
        .executeTakeFirstOrThrow();
      expect(org.kind).toBe("org");
    } finally {
      await db.destroy();
    }
    expect((await readFile(join(dir, "hub.sqlite"))).includes(Buffer.from(token))).toBe(false);
  });

  it("refuses a taken name and an invalid one, creating nothing", async () => {
    await createUser({ dataDir: dir }, "carol");
    await expect(createUser({ dataDir: dir }, "carol")).rejects.toMatchObject({ statusCode: 409 });
    await expect(createUser({ dataDir: dir }, "bad--name")).rejects.toMatchObject({ statusCode: 400 });
    await expect(createUser({ dataDir: dir }, "dave", "carol")).rejects.toMatchObject({ statusCode: 409 });
    const db = await openDatabase({ dataDir: dir });
    try {
      expect((await db.selectFrom("accounts").select("name").execute()).map((a) => a.name)).toEqual([
        "carol",
      ]);
    } finally {
      await db.destroy();
    }
  });
});
