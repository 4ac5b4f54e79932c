import { pickleCheck } from "./checks/pickle-check.js";
import type { PickleAnalysisAt, ScanCheck } from "./checks/scan-check.js";
import {
  type FormatParser,
  type ParseContext,
  SNIFF_BYTES,
  type TextFragment,
} from "./formats/format-parser.js";
import { NotThisFormatError } from "./formats/not-this-format.js";
import { DEFAULT_PARSERS } from "./formats/registry.js";
import { type Limits, resolveLimits } from "./limits.js";
import { defaultPolicy } from "./policy/default-policy.js";
import type { Policy } from "./policy/policy.js";
import { type ByteSource, readFully } from "./reader/byte-source.js";
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
  const collected: Collected = { findings: [], pickles: [], texts: [], info: {}, members: [], av: undefined };

  const format = await parseAs(source, undefined, 0, collected, parsers, limits);

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

async function parseAs(
  source: ByteSource,
  member: string | undefined,
  depth: number,
  collected: Collected,
  parsers: readonly FormatParser[],
  limits: Limits,
  hint?: FormatId,
): Promise<FormatId> {
  if (source.size === 0) return "empty";
  const head = await readFully(source, 0, Math.min(SNIFF_BYTES, source.size));
  const ordered = hint
    ? [...parsers.filter((p) => p.id === hint), ...parsers.filter((p) => p.id !== hint)]
    : parsers;
  for (const parser of ordered) {
    if (!safeSniff(parser, head, source.size)) continue;
    const ctx = makeContext(member, depth, collected, parsers, limits);
    try {
      await parser.parse(source, ctx);
      return parser.id;
    } catch (err) {
      if (err instanceof NotThisFormatError) continue;
      collected.findings.push({
        check: "format",
        rule: "format/parse-error",
        severity: "error",
        message: `could not analyse as ${parser.id}: ${errorMessage(err)}`,
        ...(member !== undefined ? { location: { member } } : {}),
      });
      return parser.id;
    }
  }
  return "unknown";
}

function safeSniff(parser: FormatParser, head: Uint8Array, size: number): boolean {
  try {
    return parser.sniff(head, size);
  } catch {
    return false;
  }
}

function makeContext(
  member: string | undefined,
  depth: number,
  collected: Collected,
  parsers: readonly FormatParser[],
  limits: Limits,
): ParseContext {
  return {
    member,
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
    info(key, value) {
      collected.info[member !== undefined ? `${member}:${key}` : key] = value;
    },
    async scanMember(name, memberSource, hint) {
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
      const format = await parseAs(memberSource, path, depth + 1, collected, parsers, limits, hint);
      collected.members.push({ path, format, size: memberSource.size });
      return format;
    },
    av(result) {
      collected.av = result;
    },
  };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
