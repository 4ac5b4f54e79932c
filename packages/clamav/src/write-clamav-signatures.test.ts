import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clamavSignatures } from "@modelgate/scanner";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_RULES } from "./test-helpers/fixtures.js";
import { writeClamavSignatures } from "./write-clamav-signatures.js";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("writeClamavSignatures", () => {
  it("creates the directory and writes modelgate-pickle.ldb with the generated text", async () => {
    dir = await mkdtemp(join(tmpdir(), "modelgate-sigs-"));
    const out = join(dir, "nested", "db");
    const { path, database } = await writeClamavSignatures(out, TEST_RULES);
    expect(path).toBe(join(out, "modelgate-pickle.ldb"));
    expect(await readFile(path, "utf8")).toBe(clamavSignatures(TEST_RULES).text);
    expect(database.signatures.length).toBeGreaterThan(0);
  });
});
