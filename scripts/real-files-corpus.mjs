#!/usr/bin/env node
// Real-file corpus: ordinary files that exist on any Debian machine with what .ci/run installs
// (package documentation, licences, /etc, Python's own library where installed, the project's own
// node_modules). None of them is a model; none was written for modelgate. The scanner must call
// them all safe: every `error` or `dangerous` verdict here is a false alarm, and `suspicious` ones
// must stay rare (issue 12: at most one in a thousand).
//
// Used by packages/node/test/real-files.test.ts (a small deterministic sample) and
// bench/real-files.bench.mjs (a larger one). Run alone to print the false alarms:
//   node scripts/real-files-corpus.mjs [COUNT]
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Trees walked, each with the share of the sample it may take. Python's library and perl are there
 * on Debian machines with python3/perl (both are in buildpack images); absent roots are skipped.
 */
export function realFileRoots() {
  const roots = [
    { dir: "/usr/share/doc", share: 3 },
    { dir: join(repoRoot, "node_modules"), share: 4 },
    { dir: "/usr/lib/python3/dist-packages", share: 2 },
    { dir: "/etc", share: 1 },
    { dir: "/usr/share/common-licenses", share: 1 },
    { dir: "/usr/share/perl5", share: 1 },
    { dir: "/usr/share/zoneinfo", share: 1 },
    { dir: "/usr/share/locale", share: 1 },
    { dir: "/usr/share/mime", share: 1 },
    { dir: "/usr/share/man", share: 1 },
    { dir: "/usr/include", share: 1 },
    { dir: "/usr/share/i18n", share: 1 },
    { dir: "/usr/share/misc", share: 1 },
  ];
  for (const entry of safeReaddir("/usr/lib")) {
    if (/^python3\.\d+$/.test(entry)) roots.push({ dir: join("/usr/lib", entry), share: 2 });
  }
  return roots.filter((r) => existsSync(r.dir));
}

/**
 * Files that are executables or native code by design: the scanner flags executables in unknown
 * files on purpose (they have no place in a model repository), so they are not false alarms.
 */
const EXECUTABLE_NAME = /\.(?:node|so(?:\.\d+)*|a|o|wasm|exe|dll|dylib|pyc|class|jar)$/i;

/**
 * Findings that are right on these files, each with why: what the checks exist to find, or (for
 * pickles) what the import policy decides. A report whose findings are all of these kinds is
 * counted apart from the false alarms.
 */
export const EXPECTED_FINDINGS = [
  { rule: "secrets/private-key", why: "private keys shipped as test fixtures are private keys all the same" },
  // Debian ships Chromium's own Google API key and OAuth client secret in the clear.
  { rule: "secrets/google-api-key", path: /\/etc\/chromium\.d\/apikeys$/, why: "Debian's Chromium API key" },
  {
    rule: "secrets/generic-secret",
    path: /\/etc\/chromium\.d\/apikeys$/,
    why: "Debian's Chromium client secret",
  },
  { rule: "unknown/executable", why: "compiled code that no extension betrayed" },
  {
    rule: "pickle/suspicious-import",
    why: "real pickles in test suites: imports outside the allowlist are the policy's call (issue 12, section 3)",
  },
];

/** The expected-finding kind a flagged report falls under, or undefined for a false alarm. */
export function expectedKind(report) {
  const findings = report.findings.filter((f) => f.severity !== "info");
  const kinds = new Set();
  for (const f of findings) {
    const e = EXPECTED_FINDINGS.find((x) => x.rule === f.rule && (!x.path || x.path.test(report.path)));
    if (!e) return undefined;
    kinds.add(e.rule);
  }
  return kinds.size > 0 ? [...kinds].join("+") : undefined;
}

function safeReaddir(dir) {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** Regular files under `dir` (symbolic links not followed), in sorted order, at most `limit`. */
function walk(dir, maxBytes, limit, out) {
  for (const name of safeReaddir(dir)) {
    if (out.length >= limit) return;
    const path = join(dir, name);
    let st;
    try {
      st = lstatSync(path);
    } catch {
      continue;
    }
    if (st.isDirectory()) walk(path, maxBytes, limit, out);
    else if (st.isFile() && st.size > 0 && st.size <= maxBytes && !EXECUTABLE_NAME.test(name)) {
      out.push({ path, size: st.size });
    }
  }
}

function rank(path) {
  return createHash("sha1").update(path).digest().readUInt32BE(0);
}

/**
 * A deterministic sample of `count` real files (fewer when the machine has fewer), spread over
 * the roots by their shares and, within a root, over file kinds (extensions) round-robin, each
 * kind in the order of a hash of the path: the same machine gives the same sample every time.
 */
export function collectRealFiles({ count = 2000, maxBytes = 4 * 1024 * 1024, perRootWalk = 200_000 } = {}) {
  const roots = realFileRoots();
  const totalShare = roots.reduce((s, r) => s + r.share, 0);
  const picked = [];
  let carry = 0;
  for (const [i, root] of roots.entries()) {
    const files = [];
    walk(root.dir, maxBytes, perRootWalk, files);
    const quota = Math.round((count * root.share) / totalShare) + carry;
    const take = i === roots.length - 1 ? count - picked.length : Math.min(quota, files.length);
    carry = quota - take;
    picked.push(...spreadByKind(files, take));
  }
  return picked;
}

function spreadByKind(files, take) {
  const byKind = new Map();
  for (const f of files) {
    const kind = extname(f.path).toLowerCase() || "(none)";
    const list = byKind.get(kind) ?? [];
    list.push(f);
    byKind.set(kind, list);
  }
  const queues = [...byKind.keys()].sort().map((k) => {
    const list = byKind.get(k);
    return list.map((f) => ({ f, r: rank(f.path) })).sort((a, b) => a.r - b.r);
  });
  const out = [];
  for (let round = 0; out.length < take; round++) {
    let any = false;
    for (const q of queues) {
      const item = q[round];
      if (item === undefined) continue;
      any = true;
      out.push(item.f);
      if (out.length >= take) break;
    }
    if (!any) break;
  }
  return out;
}

/**
 * Scans `files` through the library (formats, pickle and secrets checks, as `modelgate scan` does)
 * and returns the verdict counts of the false alarms (`expected` reports set apart, by kind),
 * the false-alarm reports, and the files that could not be read.
 */
export async function scanRealFiles(files, { concurrency = 4 } = {}) {
  const { FileSource } = await import("@modelgate/node");
  const { pickleCheck, scanSource, secretsCheck } = await import("@modelgate/scanner");
  const checks = [pickleCheck, secretsCheck()];
  const verdicts = { safe: 0, suspicious: 0, error: 0, dangerous: 0 };
  const expected = {};
  const flagged = [];
  let unreadable = 0;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < files.length; i = next++) {
      const { path } = files[i];
      let source;
      try {
        source = await FileSource.open(path);
      } catch {
        unreadable++;
        continue;
      }
      try {
        const report = await scanSource(source, path, { checks });
        const kind = report.verdict === "safe" ? undefined : expectedKind(report);
        if (kind !== undefined) {
          expected[kind] = (expected[kind] ?? 0) + 1;
          continue;
        }
        verdicts[report.verdict]++;
        if (report.verdict !== "safe") flagged.push(report);
      } finally {
        await source.close();
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  flagged.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { verdicts, expected, flagged, unreadable };
}

/** One line per flagged report: verdict, format, path and its worst findings. */
export function describeFlagged(report) {
  const findings = report.findings
    .filter((f) => f.severity !== "info")
    .slice(0, 3)
    .map((f) => `${f.rule}: ${f.message.slice(0, 140)}`);
  return `${report.verdict} [${report.format}] ${report.path}\n    ${findings.join("\n    ")}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const count = Number(process.argv[2] ?? 5000);
  const files = collectRealFiles({ count });
  const started = performance.now();
  const { verdicts, expected, flagged } = await scanRealFiles(files);
  const seconds = (performance.now() - started) / 1000;
  for (const r of flagged) console.log(describeFlagged(r));
  console.log(`${files.length} real files in ${seconds.toFixed(1)} s: ${JSON.stringify(verdicts)}`);
  console.log(`set apart as right: ${JSON.stringify(expected)}`);
}
