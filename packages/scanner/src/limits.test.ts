import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_SECRETS_LIMITS } from "./checks/secrets/secrets-limits.js";
import { DEFAULT_CONVERT_LIMITS } from "./convert/convert-limits.js";
import {
  CONVERT_LIMIT_TABLE,
  DEFAULT_LIMITS,
  FIXED_LIMIT_TABLE,
  FIXED_LIMITS,
  LIMIT_TABLES,
  type LimitSpec,
  SCAN_LIMIT_TABLE,
  SECRETS_LIMIT_TABLE,
} from "./limits.js";

const repo = join(__dirname, "..", "..", "..");
const src = join(repo, "packages", "scanner", "src");

/** The weaknesses the table may name, with their CWE titles (https://cwe.mitre.org). */
const CWE_TITLES: Readonly<Record<string, string>> = {
  "CWE-200": "Exposure of Sensitive Information to an Unauthorized Actor",
  "CWE-400": "Uncontrolled Resource Consumption",
  "CWE-407": "Inefficient Algorithmic Complexity",
  "CWE-409": "Improper Handling of Highly Compressed Data (Data Amplification)",
  "CWE-674": "Uncontrolled Recursion",
  "CWE-770": "Allocation of Resources Without Limits or Throttling",
  "CWE-835": "Loop with Unreachable Exit Condition ('Infinite Loop')",
};

/**
 * Names that look like limits but are facts of a format or of the loader the scanner mirrors, or
 * read sizes that change no outcome, each with why. A bound on what hostile input may cost belongs
 * in the table instead.
 */
const NOT_LIMITS: Readonly<Record<string, string>> = {
  "pickle/value-codes.ts:SMALL_INT_LIMIT":
    "the largest int stored inline in a value word (an encoding, not a bound)",
  "pickle/paged-int32.ts:FIRST_PAGE_ENTRIES": "a page's first size; pages grow to PAGE_SIZE (a read size)",
  "formats/little-endian.ts:MAX_SAFE_HIGH_WORD":
    "2^53 - 1, the largest integer a JavaScript number holds exactly",
  "formats/format-parser.ts:SNIFF_BYTES": "how much of a file a sniffer is handed (a read size)",
  "formats/unknown/find-zip-end.ts:ZIP_END_SEARCH_BYTES":
    "a zip end record with the longest comment the format allows",
  "formats/zip/read-zip-directory.ts:END_SEARCH_BYTES":
    "how far back miniz (the loader) searches for the end record",
  "formats/zip/read-zip-directory.ts:FIRST_TAIL_BYTES": "the first read of an archive's tail (a read size)",
  "formats/zip/read-local-header.ts:DATA_HEAD_BYTES":
    "data bytes read with a local header for sniffing (a read size)",
  "formats/zip/read-local-header.ts:SMALL_MEMBER_BYTES": "members read whole with their header (a read size)",
  "formats/compression/lzma-alone-header.ts:LZMA_ALONE_HEADER_BYTES": "the size of the .lzma header",
  "formats/compression/lzma-alone-header.ts:MAX_PROPERTIES": "the largest valid LZMA properties byte",
  "formats/compression/lzma-alone-header.ts:MAX_KNOWN_SIZE": "liblzma's .lzma detection rule, mirrored",
  "formats/compression/lzma-alone-decoder.ts:RANGE_CODER_INIT_BYTES": "the LZMA range coder's first bytes",
  "formats/compression/lzma-alone-decoder.ts:MAX_LC_PLUS_LP": "liblzma refuses lc + lp above 4, mirrored",
  "formats/compression/lzma-alone-decoder.ts:MIN_DICTIONARY_BYTES": "liblzma's smallest dictionary, mirrored",
  "formats/compression/lz4/lz4-block.ts:MIN_MATCH": "LZ4's shortest match (a token stores length - 4)",
  "formats/compression/lz4-decoder.ts:HISTORY_BYTES":
    "how far back LZ4 matches reach (64 KiB), a format fact",
  "formats/compression/deflate-formats.ts:ZFILE_HEADER_BYTES": "the size of joblib's old ZF header",
  "formats/compression/compressed-format.ts:MIN_HARMFUL_PICKLE_BYTES":
    "the shortest pickle that can import and call (a fact about pickles)",
  "pickle/value-codes.ts:TAG_BYTES": "the tag of a bytes value (an encoding)",
  "pickle/value-codes.ts:OPAQUE_BYTES": "the code of an opaque bytes value (an encoding)",
  "checks/secrets/base62-checksum.ts:CHECKSUM_CHARS": "the length of a GitHub token's checksum",
};

/** A name that reads like a bound: `MAX_…`, `…_BYTES`, `maxThings`. */
const LIMIT_LIKE =
  /^(?:MAX|MIN|KEPT)_|_(?:LIMIT|DEPTH|BYTES|CHARS|LENGTH|SIZE_LIMIT|ENTRIES|NODES|ITEMS|FIELDS|RECORDS|LISTS|CALLS|STRINGS|FINDINGS|NOTES|DIMS|STORAGES|RESTARTS|PARTS|RULES|POSITIONS|EXAMPLES|SAMPLE|SHOWN|IN_FLIGHT|COUNT)$|^(?:max|min)[A-Z]/;
/** A `const` (or class constant) and its initialiser, up to the `;`. */
const DECLARATION = /(?:\bconst|\breadonly)\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?::[^=;]+)?=\s*([^;]*);/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      // Vendored libraries keep their own code as released; test helpers build inputs.
      return name === "vendor" || name === "test-helpers" ? [] : sourceFiles(path);
    }
    return name.endsWith(".ts") && !name.endsWith(".test.ts") && name !== "limits.ts" ? [path] : [];
  });
}

/** Names of the limit-like constants in `text` given a number of their own rather than a table value. */
function limitsIn(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(DECLARATION)) {
    const [, name, init] = m as unknown as [string, string, string];
    // A number, or arithmetic on numbers and other constants: not a table value (`FIXED_LIMITS.x`,
    // lower case), not a lookup table.
    const expr = init.replace(/\b0x[\da-fA-F_]+n?\b/g, "0");
    if (
      LIMIT_LIKE.test(name) &&
      /\d/.test(expr) &&
      /^[\s\w.*+\-/()<>]+$/.test(expr) &&
      !/\b[a-z]/.test(expr)
    ) {
      names.push(name);
    }
  }
  return names;
}

/** `file:NAME` of each local limit in the package's sources. */
function localLimits(): string[] {
  return sourceFiles(src)
    .flatMap((file) => limitsIn(readFileSync(file, "utf8")).map((name) => `${relative(src, file)}:${name}`))
    .sort();
}

function allEntries(): [string, string, LimitSpec][] {
  return Object.entries(LIMIT_TABLES).flatMap(([table, entries]) =>
    Object.entries(entries as Record<string, LimitSpec>).map(
      ([name, spec]) => [table, name, spec] as [string, string, LimitSpec],
    ),
  );
}

const format = (n: number) => n.toLocaleString("en-US");

/** LIMITS.md: the table for people. */
function limitsDoc(): string {
  const lines = [
    "# Limits",
    "",
    "Every bound `@modelgate/scanner` enforces (scanning and converting). Written from",
    "`packages/scanner/src/limits.ts` by its test (`UPDATE_LIMITS_DOC=1 npx vitest run packages/scanner/src/limits.test.ts`).",
    "Reaching a bound is a finding (an `error`, or a note where only a listing is cut), never a crash or a hang.",
    "Options can be changed per scan (`ScanOptions.limits`, `SecretsCheckOptions.limits`) or conversion",
    "(`ConvertOptions.limits`); fixed bounds are changed only in the code.",
  ];
  for (const [table, entries] of Object.entries(LIMIT_TABLES)) {
    lines.push("", `## ${table === "fixed" ? "Fixed bounds" : `Options: ${table}`}`, "");
    lines.push("| name | value | CWE | reason |", "| --- | ---: | --- | --- |");
    for (const [name, spec] of Object.entries(entries as Record<string, LimitSpec>)) {
      const reason = spec.reason.replaceAll("|", "\\|");
      lines.push(`| \`${name}\` | ${format(spec.value)} | ${spec.cwe.join(", ")} | ${reason} |`);
    }
  }
  lines.push("", "CWE titles:", "");
  for (const [cwe, title] of Object.entries(CWE_TITLES)) lines.push(`- ${cwe}: ${title}`);
  return `${lines.join("\n")}\n`;
}

describe("the limits table", () => {
  it("gives every entry a positive value, a one-line reason and a known CWE", () => {
    const bad = allEntries().filter(
      ([, , s]) =>
        !(Number.isSafeInteger(s.value) && s.value > 0) ||
        !/^[A-Z`'"].{9,}[.)]$/.test(s.reason) ||
        s.reason.includes("\n") ||
        s.cwe.length === 0 ||
        s.cwe.some((c) => !(c in CWE_TITLES)),
    );
    expect(bad.map(([t, n]) => `${t}: ${n}`)).toEqual([]);
  });

  it("is where the defaults come from", () => {
    const values = (t: Record<string, LimitSpec>) =>
      Object.fromEntries(Object.entries(t).map(([k, s]) => [k, s.value]));
    expect(DEFAULT_LIMITS).toEqual(values(SCAN_LIMIT_TABLE));
    expect(DEFAULT_SECRETS_LIMITS).toEqual(values(SECRETS_LIMIT_TABLE));
    expect(DEFAULT_CONVERT_LIMITS).toEqual(values(CONVERT_LIMIT_TABLE));
    expect(FIXED_LIMITS).toEqual(values(FIXED_LIMIT_TABLE));
    expect(Object.isFrozen(FIXED_LIMITS)).toBe(true);
  });

  it("holds every limit-like constant of the package: none is written anywhere else", () => {
    // A new bound: add it to FIXED_LIMIT_TABLE in limits.ts with its reason and CWE, and use
    // FIXED_LIMITS.<name>. A constant that only looks like one goes in NOT_LIMITS with why.
    expect(localLimits().filter((k) => !(k in NOT_LIMITS))).toEqual([]);
  });

  it("finds a local limit when there is one (the scan itself works)", () => {
    const text = [
      "const MAX_WIDGETS = 10;",
      "export const maxDepth: number = 4 * 1024;",
      "  private readonly CHUNK_BYTES = 0xffff;",
      "const MAX_FROM_TABLE = FIXED_LIMITS.maxFoo;",
      "const MAX_TRACKED = FIXED_LIMITS.a + FIXED_LIMITS.b;",
      "const ELEMENT_BYTES: Record<string, number> = { F: 4 };",
    ].join("\n");
    expect(limitsIn(text)).toEqual(["MAX_WIDGETS", "maxDepth", "CHUNK_BYTES"]);
    expect(localLimits().length).toBeGreaterThan(0); // the format facts in NOT_LIMITS are seen
  });

  it("lists no exemption that is gone", () => {
    const found = new Set(localLimits());
    expect(Object.keys(NOT_LIMITS).filter((k) => !found.has(k))).toEqual([]);
  });

  it("is listed in LIMITS.md", () => {
    const path = join(repo, "LIMITS.md");
    if (process.env.UPDATE_LIMITS_DOC) writeFileSync(path, limitsDoc());
    expect(readFileSync(path, "utf8")).toBe(limitsDoc());
  });
});
