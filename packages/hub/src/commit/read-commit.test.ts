import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBareRepo, readBlob } from "../git/git-repo.js";
import { HubError } from "../hub-error.js";
import { DEFAULT_HUB_LIMITS, type HubLimits } from "../limits.js";
import { readCommit } from "./read-commit.js";

let dir = "";
let gitDir = "";
let tmpDir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "modelgate-read-commit-"));
  gitDir = join(dir, "repo.git");
  tmpDir = join(dir, "tmp");
  await initBareRepo(gitDir);
  await import("node:fs/promises").then((fs) => fs.mkdir(tmpDir));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The body in pieces of `size` bytes (1 and 2 byte pieces split every token and escape). */
function* pieces(body: string | Buffer, size: number): Generator<Uint8Array> {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function* stream(body: string | Buffer, size: number): AsyncGenerator<Uint8Array> {
  yield* pieces(body, size);
}

const CHUNKS = [1, 2, 7, 65536];
/** Parses `body` fed in every chunk size; every size must give the same result. */
async function parseCommit(body: string | Buffer, limits: HubLimits = DEFAULT_HUB_LIMITS) {
  const results = [];
  for (const size of CHUNKS) results.push(await readCommit(stream(body, size), { limits, tmpDir, gitDir }));
  for (const r of results) expect(r).toEqual(results[0]);
  return results[0] as (typeof results)[0];
}

/** Expects `body` to be refused, whatever the chunk size. */
async function refused(body: string | Buffer, limits: HubLimits = DEFAULT_HUB_LIMITS): Promise<HubError> {
  let first: HubError | undefined;
  for (const size of CHUNKS) {
    const err = await readCommit(stream(body, size), { limits, tmpDir, gitDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubError);
    first ??= err as HubError;
    expect((err as HubError).message).toBe(first.message);
  }
  expect(await readdir(tmpDir)).toEqual([]);
  return first as HubError;
}

const line = (key: string, value: unknown) => JSON.stringify({ key, value });
const head = line("header", { summary: "s" });
const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("readCommit", () => {
  it("accepts a well-formed commit with every operation kind", async () => {
    const oid = "a".repeat(64);
    const parsed = await parseCommit(
      [
        line("header", { summary: "s", description: "d", parentCommit: "b".repeat(40) }),
        line("file", { path: "x.txt", encoding: "base64", content: b64("hi") }),
        line("lfsFile", { path: "w.bin", algo: "sha256", oid, size: 3 }),
        line("deletedFile", { path: "old.txt" }),
        line("deletedFolder", { path: "olddir/" }),
      ].join("\n"),
      DEFAULT_HUB_LIMITS,
    );
    expect(parsed.summary).toBe("s");
    expect(parsed.parentCommit).toBe("b".repeat(40));
    expect(parsed.operations).toEqual([
      { kind: "file", path: "x.txt", content: Buffer.from("hi") },
      { kind: "lfsFile", path: "w.bin", oid, size: 3 },
      { kind: "deletedFile", path: "old.txt" },
      { kind: "deletedFolder", path: "olddir" },
    ]);
  });

  it("accepts the operation limit and rejects one more", async () => {
    const limits = { ...DEFAULT_HUB_LIMITS, maxCommitOperations: 2 };
    const ops = (n: number) => Array.from({ length: n }, (_, i) => line("deletedFile", { path: `f${i}` }));
    expect((await parseCommit([head, ...ops(2)].join("\n"), limits)).operations).toHaveLength(2);
    expect((await refused([head, ...ops(3)].join("\n"), limits)).message).toMatch(/too many operations/);
  });

  it("accepts a line at the byte limit and rejects one byte more", async () => {
    const atLimit = line("deletedFile", { path: "ab" });
    const limits = { ...DEFAULT_HUB_LIMITS, maxCommitLineBytes: atLimit.length };
    expect(head.length).toBeLessThan(atLimit.length);
    expect((await parseCommit(`${head}\n${atLimit}`, limits)).operations).toHaveLength(1);
    const err = await refused(`${head}\n${line("deletedFile", { path: "abc" })}`, limits);
    expect([err.statusCode, err.message]).toEqual([413, `line 2 is longer than ${atLimit.length} bytes`]);
  });

  it("accepts a body at the byte limit and rejects one byte more", async () => {
    const body = `${head}\n${line("deletedFile", { path: "ab" })}`;
    const limits = { ...DEFAULT_HUB_LIMITS, maxCommitBodyBytes: body.length };
    expect((await parseCommit(body, limits)).operations).toHaveLength(1);
    expect((await refused(`${body} `, limits)).statusCode).toBe(413);
  });

  it("bounds the text of a line besides inline content, not the content", async () => {
    const limits = { ...DEFAULT_HUB_LIMITS, maxCommitLineTextBytes: 100 };
    const big = Buffer.alloc(3000, 7);
    const file = line("file", { path: "a.bin", encoding: "base64", content: big.toString("base64") });
    const parsed = await parseCommit(`${head}\n${file}`, limits);
    expect(parsed.operations).toEqual([{ kind: "file", path: "a.bin", content: big }]);
    const long = line("file", { path: "a".repeat(120), encoding: "base64", content: "" });
    expect((await refused(`${head}\n${long}`, limits)).message).toMatch(/line 2 has more than 100 bytes/);
  });

  it("decodes a multi-MB inline file (a tokenizer.json) without holding it as one string", async () => {
    // 5 MB overflowed the stack of the old regular-expression check (from about 3.3 MB).
    const content = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < content.length; i++) content[i] = 32 + ((i * 7919) % 95);
    const body = `${head}\n${line("file", { path: "tokenizer.json", encoding: "base64", content: content.toString("base64") })}\n`;
    const parsed = await readCommit(stream(body, 65536), { limits: DEFAULT_HUB_LIMITS, tmpDir, gitDir });
    const [op] = parsed.operations;
    if (op?.kind !== "storedFile") throw new Error(`expected a stored file, got ${op?.kind}`);
    expect(op.size).toBe(content.length);
    expect(op.sha256).toBe(createHash("sha256").update(content).digest("hex"));
    expect(Buffer.compare(await readBlob(gitDir, op.oid), content)).toBe(0);
    expect(await readdir(tmpDir)).toEqual([]);
  });

  it("accepts content split anywhere, escaped slashes, and keys in any order", async () => {
    const content = Buffer.from([0xfb, 0xff, 0xfe, 1, 2]); // base64 "+//+AQI="
    const text = `{"value": {"encoding": "base64", "content": "+\\/\\/+AQI=", "path": "x"}, "key": "file"}`;
    const parsed = await parseCommit(`${head}\r\n\n${text}\n`);
    expect(parsed.operations).toEqual([{ kind: "file", path: "x", content }]);
  });

  it.each([
    ["no header", line("deletedFile", { path: "a" })],
    ["no operation", head],
    ["an empty summary", `${line("header", { summary: " " })}\n${line("deletedFile", { path: "a" })}`],
    [
      "a short parentCommit",
      `${line("header", { summary: "s", parentCommit: "abc" })}\n${line("deletedFile", { path: "a" })}`,
    ],
    [
      "base64 with bad characters",
      `${head}\n${line("file", { path: "a", encoding: "base64", content: "a$==" })}`,
    ],
    ["base64 with bad padding", `${head}\n${line("file", { path: "a", encoding: "base64", content: "YQ" })}`],
    ["a utf-8 encoding", `${head}\n${line("file", { path: "a", encoding: "utf-8", content: "a" })}`],
    ["an uppercase oid", `${head}\n${line("lfsFile", { path: "a", oid: "A".repeat(64) })}`],
    ["a negative size", `${head}\n${line("lfsFile", { path: "a", oid: "a".repeat(64), size: -1 })}`],
    ["a folder deletion without a path", `${head}\n${line("deletedFolder", {})}`],
    [
      "the same path twice",
      `${head}\n${line("deletedFile", { path: "a" })}\n${line("deletedFile", { path: "a" })}`,
    ],
    ["a line that is not JSON", `${head}\n{`],
    ["an array line", `${head}\n[]`],
    [
      "base64 with characters after padding",
      `${head}\n${line("file", { path: "a", encoding: "base64", content: "YQ==YQ==" })}`,
    ],
    [
      "base64 with three pads",
      `${head}\n${line("file", { path: "a", encoding: "base64", content: "Y===" })}`,
    ],
    [
      "base64 with an escaped quote",
      `${head}\n${line("file", { path: "a", encoding: "base64", content: 'YQ"=' })}`,
    ],
    [
      "non-ASCII in base64",
      `${head}\n${line("file", { path: "a", encoding: "base64", content: "YQ\u0141=" })}`,
    ],
    [
      "content twice",
      `${head}\n{"key":"file","value":{"path":"a","encoding":"base64","content":"YQ==","content":"YQ=="}}`,
    ],
    ["a string cut by a newline", `${head}\n{"key":"file","value":{"path":"a\n"}}`],
    ["nesting deeper than 32", `${head}\n${"[".repeat(40)}`],
  ])("rejects %s", async (_name, body) => {
    await refused(body);
  });
});
