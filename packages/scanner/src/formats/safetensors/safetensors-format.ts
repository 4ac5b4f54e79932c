import { FIXED_LIMITS } from "../../limits.js";
import { type ByteSource, readFully, SliceSource } from "../../reader/byte-source.js";
import type { FormatParser, ParseContext } from "../format-parser.js";
import { NotThisFormatError } from "../not-this-format.js";
import { summaryText } from "../summary-text.js";
import { scanJsonStructure } from "./scan-json-structure.js";
import { type SafetensorsProblem, validateSafetensorsHeader } from "./validate-safetensors-header.js";

const OPEN_BRACE = 0x7b;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * safetensors: an 8-byte little-endian header length, a JSON header, then raw tensor data.
 * Validated as strictly as the reference reader and stricter (see `validateSafetensorsHeader`);
 * only the header is read, so a file of any size validates in the time its header takes.
 * Every broken rule is an `error` finding `safetensors/<rule>`; a valid file gets no finding.
 * Spec: https://github.com/huggingface/safetensors#format
 */
export const safetensorsFormat: FormatParser = {
  id: "safetensors",
  sniff(head, size) {
    if (size < 10 || head.length < 10) return false;
    // The header is JSON text starting with `{` (perhaps after whitespace, which the rules then reject).
    let i = 8;
    while (i < head.length && isJsonSpace(head[i] as number)) i++;
    if (head[i] !== OPEN_BRACE) return false;
    i++;
    while (i < head.length && isJsonSpace(head[i] as number)) i++;
    return i >= head.length || head[i] === 0x22 || head[i] === 0x7d;
  },
  async parse(source: ByteSource, ctx: ParseContext) {
    const problems: SafetensorsProblem[] = [];
    let trailingStart: number | undefined;
    try {
      trailingStart = await validate(source, ctx, problems);
    } finally {
      report(problems, ctx);
    }
    if (trailingStart !== undefined) {
      // Bytes after the data are how polyglots are built (a zip or pickle that another loader
      // finds): beyond the error reported, analyse them as a member of their own.
      const trailing = new SliceSource(source, trailingStart, source.size - trailingStart);
      await ctx.scanMember(`<trailing data at ${trailingStart}>`, trailing);
    }
  },
};

/** Validates the file into `problems`; returns where trailing bytes start, if there are any. */
async function validate(
  source: ByteSource,
  ctx: ParseContext,
  problems: SafetensorsProblem[],
): Promise<number | undefined> {
  const { text, bytes, headerLength } = await readHeader(source);
  // The loader parses the header first: content whose header does not parse is not safetensors.
  const header = parseHeaderObject(text);
  if (bytes[0] !== OPEN_BRACE) {
    problems.push({
      rule: "safetensors/header-start",
      message: `the header starts with byte 0x${(bytes[0] ?? 0).toString(16).padStart(2, "0")} at offset 8, not "{"`,
    });
  }
  for (const issue of scanJsonStructure(
    bytes,
    FIXED_LIMITS.maxSafetensorsHeaderDepth,
    FIXED_LIMITS.maxSafetensorsFindings + 1,
  )) {
    const at = `at offset ${8 + issue.offset}`;
    if (issue.kind === "too-deep") {
      problems.push({
        rule: "safetensors/nesting-too-deep",
        message: `JSON nested ${issue.text} levels deep ${at}; a valid header nests at most ${FIXED_LIMITS.maxSafetensorsHeaderDepth}`,
      });
      return;
    }
    problems.push(
      issue.kind === "duplicate-key"
        ? {
            rule: "safetensors/duplicate-key",
            message: `key ${JSON.stringify(issue.text.slice(0, 200))} appears twice in one object (second ${at}); readers disagree on which one counts`,
          }
        : {
            rule: "safetensors/invalid-number",
            message: `number ${issue.text.slice(0, 40)} ${at} is not a plain non-negative integer`,
          },
    );
  }
  const result = validateSafetensorsHeader(header, source.size - 8 - headerLength);
  for (const problem of result.problems) problems.push(problem);
  const { summary } = result;

  ctx.info("tensors", summary.tensors);
  ctx.info(
    "parameters",
    summary.parameters <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(summary.parameters)
      : String(summary.parameters),
  );
  ctx.info("dtypes", summary.dtypes);
  if (summary.metadata) {
    const shown: Record<string, string> = {};
    for (const [key, value] of Object.entries(summary.metadata)) {
      shown[summaryText(key)] = summaryText(value);
      ctx.text({ text: `${key}: ${value}`, kind: "safetensors-metadata" });
    }
    ctx.info("metadata", shown);
  }
  const dataEnd = summary.dataEnd === undefined ? undefined : 8 + headerLength + summary.dataEnd;
  // A header that passed every rule lays its tensors edge to edge over the data: numbers only.
  if (dataEnd !== undefined && problems.length === 0)
    ctx.tensorData(8 + headerLength, dataEnd - 8 - headerLength);
  return dataEnd !== undefined && dataEnd < source.size ? dataEnd : undefined;
}

/**
 * Reads the length and the header, throwing `NotThisFormatError` when the safetensors loader would
 * refuse the file before reading any tensor: too short, a length over the limit or past the end, a
 * header that is not UTF-8. Such content is some other format (a text file whose 9th byte is `{`).
 */
async function readHeader(
  source: ByteSource,
): Promise<{ text: string; bytes: Uint8Array; headerLength: number }> {
  if (source.size < 8) {
    throw new NotThisFormatError(
      `the file has ${source.size} bytes, fewer than the 8-byte header length`,
      "safetensors/too-short",
    );
  }
  const lengthBytes = await readFully(source, 0, 8);
  const declared = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 8).getBigUint64(0, true);
  if (declared > BigInt(FIXED_LIMITS.maxSafetensorsHeaderBytes)) {
    throw new NotThisFormatError(
      `header length ${declared} exceeds the limit of ${FIXED_LIMITS.maxSafetensorsHeaderBytes} bytes`,
      "safetensors/header-too-large",
    );
  }
  const headerLength = Number(declared);
  if (8 + headerLength > source.size) {
    throw new NotThisFormatError(
      `header length ${headerLength} runs past the end of the ${source.size}-byte file`,
      "safetensors/header-length",
    );
  }
  const bytes = await readFully(source, 8, headerLength);
  try {
    return { text: utf8.decode(bytes), bytes, headerLength };
  } catch {
    throw new NotThisFormatError("the header is not valid UTF-8", "safetensors/header-not-utf8");
  }
}

/** The header as the loader parses it: JSON holding an object, or `NotThisFormatError`. */
function parseHeaderObject(text: string): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    throw new NotThisFormatError(
      `the header is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      "safetensors/header-json",
    );
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw new NotThisFormatError("the header is not a JSON object", "safetensors/header-json");
  }
  return header as Record<string, unknown>;
}

function report(problems: readonly SafetensorsProblem[], ctx: ParseContext): void {
  for (const problem of problems.slice(0, FIXED_LIMITS.maxSafetensorsFindings)) {
    ctx.finding({ check: "format", rule: problem.rule, severity: "error", message: problem.message });
  }
  if (problems.length > FIXED_LIMITS.maxSafetensorsFindings) {
    ctx.finding({
      check: "format",
      rule: "safetensors/more-problems",
      severity: "error",
      message: `${problems.length - FIXED_LIMITS.maxSafetensorsFindings} more problems not listed`,
    });
  }
}

function isJsonSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}
