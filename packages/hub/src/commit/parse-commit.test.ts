import { describe, expect, it } from "vitest";
import { HubError } from "../hub-error.js";
import { DEFAULT_HUB_LIMITS } from "../limits.js";
import { parseCommit } from "./parse-commit.js";

const line = (key: string, value: unknown) => JSON.stringify({ key, value });
const head = line("header", { summary: "s" });
const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("parseCommit", () => {
  it("accepts a well-formed commit with every operation kind", () => {
    const oid = "a".repeat(64);
    const parsed = parseCommit(
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

  it("accepts the operation limit and rejects one more", () => {
    const limits = { ...DEFAULT_HUB_LIMITS, maxCommitOperations: 2 };
    const ops = (n: number) => Array.from({ length: n }, (_, i) => line("deletedFile", { path: `f${i}` }));
    expect(parseCommit([head, ...ops(2)].join("\n"), limits).operations).toHaveLength(2);
    expect(() => parseCommit([head, ...ops(3)].join("\n"), limits)).toThrow(/too many operations/);
  });

  it("accepts a line at the byte limit and rejects one byte more", () => {
    const atLimit = line("deletedFile", { path: "ab" });
    const limits = { ...DEFAULT_HUB_LIMITS, maxCommitLineBytes: atLimit.length };
    expect(head.length).toBeLessThan(atLimit.length);
    expect(parseCommit(`${head}\n${atLimit}`, limits).operations).toHaveLength(1);
    expect(() => parseCommit(`${head}\n${line("deletedFile", { path: "abc" })}`, limits)).toThrow(
      /line 2 is longer/,
    );
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
  ])("rejects %s", (_name, body) => {
    expect(() => parseCommit(body, DEFAULT_HUB_LIMITS)).toThrow(HubError);
  });
});
