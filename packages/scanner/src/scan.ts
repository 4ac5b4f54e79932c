import { pickleCheck } from "./checks/pickle-check.js";
import type { PickleAnalysisAt, ScanCheck } from "./checks/scan-check.js";
import { formatClaimedBy, nameInsideCompressed } from "./formats/claimed-format.js";
import {
  type FormatParser,
  type ParseContext,
  SNIFF_BYTES,
  type TextFragment,
} from "./formats/format-parser.js";
import { NotThisFormatError } from "./formats/not-this-format.js";
import { DEFAULT_PARSERS } from "./formats/registry.js";
import { readGitLfsPointer } from "./formats/text/git-lfs-pointer.js";
import { type Limits, resolveLimits } from "./limits.js";
import { defaultPolicy } from "./policy/default-policy.js";
import type { Policy } from "./policy/policy.js";
import { type ByteSource, type ByteSpan, readFully } from "./reader/byte-source.js";
import type { AvResult, CallRecord, FileReport, Finding, FormatId, ImportRecord } from "./report/types.js";
import { fileVerdict } from "./report/verdict.js";

export interface ScanOptions {
  policy?: Policy;
  limits?: Partial<Limits>;
  /** Format parsers in detection order (default: every built-in format). */
  parsers?: readonly FormatParser[];
  /** Checks to run after parsing (default: the pickle import check). Add secrets/malware checks here. */
  checks?: readonly ScanCheck[];
}

/** Collected state for one top-level file while its formats are parsed. */
interface Collected {
  findings: Finding[];
  pickles: PickleAnalysisAt[];
  texts: TextFragment[];
  /** Tensor data ranges of the top-level file (see `ParseContext.tensorData`). */
  tensorData: ByteSpan[];
  info: Record<string, unknown>;
  members: { path: string; format: FormatId; size: number }[];
  av: AvResult | undefined;
}

/**
 * Scans one file: detects its format by content, parses it (recursing into containers), runs the
 * checks and returns its report with a verdict. Never throws for bad content: a failure to parse is
 * an `error` finding, so the verdict fails closed.
 */
export async function scanSource(
  source: ByteSource,
  path: string,
  options: ScanOptions = {},
): Promise<FileReport> {
  const limits = resolveLimits(options.limits);
  const policy = options.policy ?? defaultPolicy();
  const parsers = options.parsers ?? DEFAULT_PARSERS;
  const collected: Collected = {
    findings: [],
    pickles: [],
    texts: [],
    tensorData: [],
    info: {},
    members: [],
    av: undefined,
  };

  const format = await parseAs(
    source,
    { member: undefined, name: path, fileOffset: 0 },
    0,
    collected,
    parsers,
    limits,
  );

  const imports: ImportRecord[] = [];
  const calls: CallRecord[] = [];
  const checks = options.checks ?? [pickleCheck];
  for (const check of checks) {
    try {
      const out = await check.run({
        path,
        format,
        source,
        pickles: collected.pickles,
        texts: collected.texts,
        tensorData: collected.tensorData,
        policy,
        limits,
      });
      if (out.findings) collected.findings.push(...out.findings);
      if (out.imports) imports.push(...out.imports);
      if (out.calls) calls.push(...out.calls);
      if (out.av) collected.av = out.av;
    } catch (err) {
      collected.findings.push({
        check: check.id,
        rule: `${check.id}/check-failed`,
        severity: "error",
        message: `the ${check.id} check failed: ${errorMessage(err)}`,
      });
    }
  }

  const report: FileReport = {
    path,
    format,
    size: source.size,
    verdict: "safe",
    imports,
    calls,
    findings: collected.findings,
  };
  if (collected.members.length > 0) report.members = collected.members;
  if (Object.keys(collected.info).length > 0) report.info = collected.info;
  if (collected.av) report.av = collected.av;
  report.verdict = fileVerdict(report);
  return report;
}

/** Where a source sits: its member path inside the top-level file, and the name that may claim a format. */
interface Placement {
  member: string | undefined;
  /** File or member name whose ending may claim a format (`model.safetensors`). */
  name: string | undefined;
  /** A format to try first (what a container's members usually are); unlike a name, it claims nothing. */
  hint?: FormatId;
  /** Where this source's byte 0 is in the top-level file, when it is a plain slice of it. */
  fileOffset?: number;
}

/**
 * Formats whose loader accepts nothing else: a file named for one of them that is not one is
 * malformed (`error`) whatever else its content is (the safetensors loader refuses it outright).
 */
const STRICT_CLAIMS: ReadonlySet<FormatId> = new Set(["safetensors"]);

async function parseAs(
  source: ByteSource,
  placement: Placement,
  depth: number,
  collected: Collected,
  parsers: readonly FormatParser[],
  limits: Limits,
): Promise<FormatId> {
  const { member, hint } = placement;
  const claims = formatClaimedBy(placement.name);
  const strict = claims !== undefined && STRICT_CLAIMS.has(claims) ? claims : undefined;
  if (source.size === 0) {
    if (strict) notAsNamed(collected, strict, "the file is empty", member);
    return "empty";
  }
  const head = await readFully(source, 0, Math.min(SNIFF_BYTES, source.size));
  const ordered = hint
    ? [...parsers.filter((p) => p.id === hint), ...parsers.filter((p) => p.id !== hint)]
    : parsers;
  let declined: NotThisFormatError | undefined;
  const findingsBefore = collected.findings.length;
  let found: FormatId = "unknown";
  for (const parser of ordered) {
    // The format a strict name claims is always tried, so that the reason it is not one is known.
    if (parser.id !== strict && !safeSniff(parser, head, source.size)) continue;
    const ctx = makeContext(placement, claims, depth, collected, parsers, limits);
    try {
      await parser.parse(source, ctx);
      found = parser.id;
      break;
    } catch (err) {
      if (err instanceof NotThisFormatError) {
        if (parser.id === strict) declined = err;
        continue;
      }
      collected.findings.push({
        check: "format",
        rule: "format/parse-error",
        severity: "error",
        message: `could not analyse as ${parser.id}: ${errorMessage(err)}`,
        ...(member !== undefined ? { location: { member } } : {}),
      });
      found = parser.id;
      break;
    }
  }
  if (strict === undefined || found === strict) return found;
  // A clone without Git LFS holds pointers in place of model files: not a malformed model.
  if (found === "text" && readGitLfsPointer(head, source.size)) return found;
  notAsNamed(collected, strict, declined?.message ?? `the content is ${found}`, member, declined?.rule);
  if (found !== "unknown" && found !== "text") return found;
  // Content no format took is reported as what its name says it is: a malformed file of that format.
  const unrecognised = collected.findings.findIndex(
    (f, i) => i >= findingsBefore && f.rule === "unknown/unrecognised",
  );
  if (unrecognised >= 0) collected.findings.splice(unrecognised, 1);
  return strict;
}

/** A file named for a strict format (`.safetensors`) that its loader would refuse. */
function notAsNamed(
  collected: Collected,
  format: FormatId,
  reason: string,
  member: string | undefined,
  rule = "format/not-as-named",
): void {
  collected.findings.push({
    check: "format",
    rule,
    severity: "error",
    message: `named as a ${format} file but its loader would refuse it: ${reason}`,
    ...(member !== undefined ? { location: { member } } : {}),
  });
}

function safeSniff(parser: FormatParser, head: Uint8Array, size: number): boolean {
  try {
    return parser.sniff(head, size);
  } catch {
    return false;
  }
}

function makeContext(
  placement: Placement,
  claims: FormatId | undefined,
  depth: number,
  collected: Collected,
  parsers: readonly FormatParser[],
  limits: Limits,
): ParseContext {
  const { member } = placement;
  return {
    member,
    claims,
    name: placement.name,
    depth,
    limits,
    finding(finding) {
      if (member !== undefined && finding.location?.member === undefined) {
        finding = { ...finding, location: { ...finding.location, member } };
      }
      collected.findings.push(finding);
    },
    pickle(analysis) {
      collected.pickles.push({ analysis, member });
    },
    text(fragment) {
      collected.texts.push(
        member !== undefined && fragment.member === undefined ? { ...fragment, member } : fragment,
      );
    },
    tensorData(offset, length) {
      // Only offsets that map to offsets in the file the check streams are kept.
      const base = placement.fileOffset;
      if (base !== undefined && length > 0)
        collected.tensorData.push({ start: base + offset, end: base + offset + length });
    },
    info(key, value) {
      collected.info[member !== undefined ? `${member}:${key}` : key] = value;
    },
    async scanMember(name, memberSource, hint, fileOffset) {
      const path = member !== undefined ? `${member}/${name}` : name;
      if (depth + 1 > limits.maxNestingDepth) {
        collected.findings.push({
          check: "format",
          rule: "container/nesting-too-deep",
          severity: "error",
          message: `containers nested deeper than ${limits.maxNestingDepth} levels; not analysed further`,
          location: { member: path },
        });
        return "unknown";
      }
      const format = await parseAs(
        memberSource,
        {
          member: path,
          name: memberName(name, placement.name),
          ...(hint !== undefined ? { hint } : {}),
          ...(fileOffset !== undefined && placement.fileOffset !== undefined
            ? { fileOffset: placement.fileOffset + fileOffset }
            : {}),
        },
        depth + 1,
        collected,
        parsers,
        limits,
      );
      collected.members.push({ path, format, size: memberSource.size });
      return format;
    },
    av(result) {
      collected.av = result;
    },
  };
}

/**
 * The name a member's claim is read from: its own, except for the names containers make up:
 * a decompressed stream (`[gzip]`) takes its file's name without the suffix, other made-up
 * members (`<trailing data at 1234>`) claim nothing.
 */
function memberName(name: string, parentName: string | undefined): string | undefined {
  if (name.startsWith("[")) return nameInsideCompressed(parentName);
  if (name.startsWith("<")) return undefined;
  return name;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
