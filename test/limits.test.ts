import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { CLAMAV_LIMIT_TABLE, CLAMAV_LIMITS } from "../packages/clamav/src/limits.js";
import { CLI_LIMIT_TABLE, CLI_LIMITS } from "../packages/cli/src/limits.js";
import { CONVERT_PACKAGE_LIMIT_TABLE, CONVERT_PACKAGE_LIMITS } from "../packages/convert/src/limits.js";
import {
  DEFAULT_HUB_LIMITS,
  HUB_FIXED_LIMIT_TABLE,
  HUB_FIXED_LIMITS,
  HUB_OPTION_LIMIT_TABLE,
} from "../packages/hub/src/limits.js";
import { NODE_LIMIT_TABLE, NODE_LIMITS } from "../packages/node/src/limits.js";
import { DEFAULT_SECRETS_LIMITS } from "../packages/scanner/src/checks/secrets/secrets-limits.js";
import { DEFAULT_CONVERT_LIMITS } from "../packages/scanner/src/convert/convert-limits.js";
import {
  CONVERT_LIMIT_TABLE,
  CWE_TITLES,
  DEFAULT_LIMITS,
  FIXED_LIMIT_TABLE,
  FIXED_LIMITS,
  LIMIT_TABLES,
  type LimitSpec,
  SCAN_LIMIT_TABLE,
  SECRETS_LIMIT_TABLE,
} from "../packages/scanner/src/limits.js";
import { WEB_LIMIT_TABLE } from "../packages/web/src/limits.js";

// Every bound of every deployed package is in its package's table (`packages/<name>/src/limits.ts`;
// the scanner's has four). This test checks the tables, fails on a limit-like constant written
// anywhere else in a package's sources, and writes LIMITS.md from the tables.
const repo = join(__dirname, "..");

type Table = Record<string, LimitSpec>;

/** Each package: where its sources are, and its tables by the heading LIMITS.md gives them. */
const PACKAGES: Readonly<Record<string, { intro: string; tables: Record<string, Table> }>> = {
  scanner: {
    intro:
      "`@modelgate/scanner` (scanning and converting). Options can be changed per scan (`ScanOptions.limits`, `SecretsCheckOptions.limits`) or conversion (`ConvertOptions.limits`); fixed bounds are changed only in the code.",
    tables: Object.fromEntries(
      Object.entries(LIMIT_TABLES).map(([name, table]) => [
        name === "fixed" ? "Fixed bounds" : `Options: ${name}`,
        table as Table,
      ]),
    ),
  },
  hub: {
    intro: "`@modelgate/hub`: requests, accounts, git and signatures.",
    tables: {
      "Options (`HubLimits`)": HUB_OPTION_LIMIT_TABLE,
      "Fixed bounds": HUB_FIXED_LIMIT_TABLE,
    },
  },
  node: {
    intro: "`@modelgate/node`: files, directory walks and worker threads.",
    tables: { "Fixed bounds": NODE_LIMIT_TABLE },
  },
  clamav: {
    intro: "`@modelgate/clamav`: the clamd client (`maxStreamBytes` is an option).",
    tables: { "Fixed bounds": CLAMAV_LIMIT_TABLE },
  },
  convert: {
    intro:
      "`@modelgate/convert`: the converter's Node side (its core's bounds are in the scanner's tables above).",
    tables: { "Fixed bounds": CONVERT_PACKAGE_LIMIT_TABLE },
  },
  cli: { intro: "`@modelgate/cli`: the command line.", tables: { "Fixed bounds": CLI_LIMIT_TABLE } },
  web: { intro: "`@modelgate/web`: the hub's pages.", tables: { "Fixed bounds": WEB_LIMIT_TABLE } },
};

/** The package's sources scanned for local limits; `packages/fuzz` is a developer tool, not deployed. */
const SCANNED = Object.keys(PACKAGES);

/**
 * Names that look like limits but are facts of a format or of the loader the scanner mirrors, or
 * read sizes that change no outcome, each with why. A bound on what hostile input may cost belongs
 * in the table instead.
 */
const NOT_LIMITS: Readonly<Record<string, string>> = {
  "scanner/pickle/value-codes.ts:SMALL_INT_LIMIT":
    "the largest int stored inline in a value word (an encoding, not a bound)",
  "scanner/pickle/paged-int32.ts:FIRST_PAGE_ENTRIES":
    "a page's first size; pages grow to PAGE_SIZE (a read size)",
  "scanner/formats/little-endian.ts:MAX_SAFE_HIGH_WORD":
    "2^53 - 1, the largest integer a JavaScript number holds exactly",
  "scanner/formats/format-parser.ts:SNIFF_BYTES": "how much of a file a sniffer is handed (a read size)",
  "scanner/formats/unknown/find-zip-end.ts:ZIP_END_SEARCH_BYTES":
    "a zip end record with the longest comment the format allows",
  "scanner/formats/zip/read-zip-directory.ts:END_SEARCH_BYTES":
    "how far back miniz (the loader) searches for the end record",
  "scanner/formats/zip/read-zip-directory.ts:FIRST_TAIL_BYTES":
    "the first read of an archive's tail (a read size)",
  "scanner/formats/zip/read-local-header.ts:DATA_HEAD_BYTES":
    "data bytes read with a local header for sniffing (a read size)",
  "scanner/formats/zip/read-local-header.ts:SMALL_MEMBER_BYTES":
    "members read whole with their header (a read size)",
  "scanner/formats/compression/lzma-alone-header.ts:LZMA_ALONE_HEADER_BYTES": "the size of the .lzma header",
  "scanner/formats/compression/lzma-alone-header.ts:MAX_PROPERTIES": "the largest valid LZMA properties byte",
  "scanner/formats/compression/lzma-alone-header.ts:MAX_KNOWN_SIZE":
    "liblzma's .lzma detection rule, mirrored",
  "scanner/formats/compression/lzma-alone-decoder.ts:RANGE_CODER_INIT_BYTES":
    "the LZMA range coder's first bytes",
  "scanner/formats/compression/lzma-alone-decoder.ts:MAX_LC_PLUS_LP":
    "liblzma refuses lc + lp above 4, mirrored",
  "scanner/formats/compression/lzma-alone-decoder.ts:MIN_DICTIONARY_BYTES":
    "liblzma's smallest dictionary, mirrored",
  "scanner/formats/compression/lz4/lz4-block.ts:MIN_MATCH":
    "LZ4's shortest match (a token stores length - 4)",
  "scanner/formats/compression/lz4-decoder.ts:HISTORY_BYTES":
    "how far back LZ4 matches reach (64 KiB), a format fact",
  "scanner/formats/compression/deflate-formats.ts:ZFILE_HEADER_BYTES": "the size of joblib's old ZF header",
  "scanner/formats/compression/compressed-format.ts:MIN_HARMFUL_PICKLE_BYTES":
    "the shortest pickle that can import and call (a fact about pickles)",
  "scanner/pickle/value-codes.ts:TAG_BYTES": "the tag of a bytes value (an encoding)",
  "scanner/pickle/value-codes.ts:OPAQUE_BYTES": "the code of an opaque bytes value (an encoding)",
  "scanner/checks/secrets/base62-checksum.ts:CHECKSUM_CHARS": "the length of a GitHub token's checksum",
  "hub/auth/password-hash.ts:KEY_BYTES": "the length of the scrypt hash stored (a parameter, not a bound)",
  "hub/auth/password-hash.ts:SALT_BYTES": "the length of a password's random salt (a parameter)",
  "hub/auth/tokens.ts:TOKEN_BODY_LENGTH": "the Hugging Face Hub's token format: hf_ and 34 letters",
  "hub/auth/totp.ts:RECOVERY_CODE_COUNT":
    "how many recovery codes an account is given (not a bound on input)",
  "hub/auth/token-use.ts:LAST_USED_RESOLUTION_MS": "how often last_used_at is written (a write rate)",
  "hub/commit/inline-file-sink.ts:SPOOL_WRITE_BYTES": "spool writes are batched to this size (a write size)",
  "hub/git/loose-objects.ts:SYNC_DEFLATE_BYTES": "below it deflate runs on the main thread (a speed choice)",
  "hub/git/ref-updater.ts:IDLE_MS": "an idle git process is stopped after it (frees, bounds nothing)",
  "hub/commit/apply-commit.ts:REF_RACE_MAX_PAUSE_MS": "the longest random pause between retries (a backoff)",
  "hub/scan/scan-service.ts:SETTLED_POLL_MAX_MS": "the longest wait between two polls of a scan's row",
  "hub/app.ts:DEFAULT_SHUTDOWN_GRACE_MS":
    "how long running scans may finish at shutdown (a wait, not a bound)",
  "clamav/malware-check.ts:CLAMAV_MAX_FILE_BYTES": "clamd's own largest file (clamd.conf(5)), mirrored",
};

/** A name that reads like a bound: `MAX_…`, `…_BYTES`, `…_MS`, `maxThings`. */
const LIMIT_LIKE =
  /^(?:MAX|MIN|KEPT)_|_(?:LIMIT|DEPTH|BYTES|CHARS|LENGTH|SIZE_LIMIT|ENTRIES|NODES|ITEMS|FIELDS|RECORDS|LISTS|CALLS|STRINGS|FINDINGS|NOTES|DIMS|STORAGES|RESTARTS|PARTS|RULES|POSITIONS|EXAMPLES|SAMPLE|SHOWN|IN_FLIGHT|COUNT|MS|SECONDS|PAGES?|THREADS|WORKERS)$|^(?:max|min)[A-Z]/;
/** A `const` (or class constant) and its initialiser, up to the `;` (a type annotation on one line). */
const DECLARATION = /(?:\bconst|\breadonly)\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?::[^=;\n]+)?=\s*([^;]*);/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      // Vendored libraries keep their own code as released; test helpers build inputs.
      return name === "vendor" || name === "test-helpers" ? [] : sourceFiles(path);
    }
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && name !== "limits.ts" ? [path] : [];
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

/** `package/file:NAME` of each local limit in the packages' sources. */
function localLimits(): string[] {
  return SCANNED.flatMap((pkg) => {
    const src = join(repo, "packages", pkg, "src");
    return sourceFiles(src).flatMap((file) =>
      limitsIn(readFileSync(file, "utf8")).map((name) => `${pkg}/${relative(src, file)}:${name}`),
    );
  }).sort();
}

function allEntries(): [string, string, LimitSpec][] {
  return Object.values(PACKAGES).flatMap(({ tables }) =>
    Object.entries(tables).flatMap(([table, entries]) =>
      Object.entries(entries).map(([name, spec]) => [table, name, spec] as [string, string, LimitSpec]),
    ),
  );
}

const format = (n: number) => n.toLocaleString("en-US");

/** LIMITS.md: the tables for people. */
function limitsDoc(): string {
  const lines = [
    "# Limits",
    "",
    "Every bound modelgate enforces, one table per package (`packages/<name>/src/limits.ts`; the scanner has four),",
    "each with its value, the weakness it guards against and why. Written from the tables by",
    "`test/limits.test.ts` (`UPDATE_LIMITS_DOC=1 npx vitest run test/limits.test.ts`), which also fails on a",
    "limit-like constant written outside them. In the scanner, reaching a bound is a finding (an `error`, or a",
    "note where only a listing is cut), never a crash or a hang; in the hub it is an error answer.",
  ];
  for (const [pkg, { intro, tables }] of Object.entries(PACKAGES)) {
    lines.push("", `## ${pkg}`, "", intro);
    for (const [heading, entries] of Object.entries(tables)) {
      lines.push("", `### ${heading}`, "");
      lines.push("| name | value | CWE | reason |", "| --- | ---: | --- | --- |");
      for (const [name, spec] of Object.entries(entries)) {
        const reason = spec.reason.replaceAll("|", "\\|");
        lines.push(`| \`${name}\` | ${format(spec.value)} | ${spec.cwe.join(", ")} | ${reason} |`);
      }
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
    for (const [limits, table] of [
      [HUB_FIXED_LIMITS, HUB_FIXED_LIMIT_TABLE],
      [DEFAULT_HUB_LIMITS, HUB_OPTION_LIMIT_TABLE],
      [NODE_LIMITS, NODE_LIMIT_TABLE],
      [CLAMAV_LIMITS, CLAMAV_LIMIT_TABLE],
      [CLI_LIMITS, CLI_LIMIT_TABLE],
      [CONVERT_PACKAGE_LIMITS, CONVERT_PACKAGE_LIMIT_TABLE],
    ] as const) {
      expect(limits).toEqual(values(table));
      expect(Object.isFrozen(limits)).toBe(true);
    }
  });

  it("holds every limit-like constant of the packages: none is written anywhere else", () => {
    // A new bound: add it to its package's table (packages/<name>/src/limits.ts; the scanner's
    // FIXED_LIMIT_TABLE) with its reason and CWE, and use the table's value. A constant that only
    // looks like one goes in NOT_LIMITS with why.
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
