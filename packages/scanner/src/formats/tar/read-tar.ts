import { FIXED_LIMITS } from "../../limits.js";
import { type ByteSource, readFully } from "../../reader/byte-source.js";
import type { ContainerBudget } from "../container-budget.js";
import type { ContainerIssue } from "../container-issue.js";
import { BLOCK, parseTarHeader, type TarHeader, text } from "./parse-tar-header.js";

/** Types tarfile reads data for: regular files (`0`, `\0`, contiguous `7`). */
const REGULAR = new Set(["0", "7"]);
/** Types tarfile knows; for those that are not regular it does not skip the size field's data. */
const KNOWN = new Set(["0", "7", "1", "2", "3", "4", "5", "6", "L", "K", "S", "x", "g", "X"]);

/** A member as tarfile lists it, pax and long names applied, with where its header and data are. */
export interface TarEntry extends TarHeader {
  headerOffset: number;
  dataOffset: number;
}

/** Every member tarfile would list, and what was odd about the archive. */
export interface TarListing {
  entries: TarEntry[];
  issues: ContainerIssue[];
}

/**
 * Lists a tar archive as Python's `tarfile` (used by `torch.load` for the old tar layout) reads it:
 * pax (`x`, `g`) and GNU long-name (`L`, `K`) headers applied to the next member, data skipped only
 * for regular or unknown types, and the archive ending at the first zero or invalid block. Reads
 * headers only. Bytes after the end are reported: other tar readers may see members there.
 */
export async function readTar(source: ByteSource, budget: ContainerBudget): Promise<TarListing> {
  const entries: TarEntry[] = [];
  const issues: ContainerIssue[] = [];
  const globalPax = new Map<string, string>();
  let localPax = new Map<string, string>();
  let longName: string | undefined;
  let longLink: string | undefined;
  let offset = 0;
  let endedBy: "zero" | "invalid" | "eof" = "eof";
  while (offset + BLOCK <= source.size) {
    const header = parseTarHeader(await readFully(source, offset, BLOCK));
    if (typeof header === "string") {
      endedBy = header;
      if (offset === 0 && header === "invalid")
        issues.push(problem("tar/bad-header", "not a tar archive", 0));
      break;
    }
    budget.takeEntries(1, offset);
    const dataOffset = offset + BLOCK;
    if ("xgXLK".includes(header.type)) {
      if (header.size > FIXED_LIMITS.maxTarMetaBytes) {
        issues.push(
          problem(
            "tar/header-too-large",
            `a ${header.type} header of ${header.size} bytes is over the limit`,
            offset,
          ),
        );
        endedBy = "invalid";
        break;
      }
      const data = await readFully(source, dataOffset, header.size);
      if (header.type === "L") longName = text(data, 0, data.length);
      else if (header.type === "K") longLink = text(data, 0, data.length);
      else {
        const records = parsePax(data);
        if (!records) {
          issues.push(
            problem("tar/bad-pax-header", "a pax header is malformed; tarfile stops reading here", offset),
          );
          endedBy = "invalid";
          break;
        }
        if (header.type === "g") for (const [k, v] of records) globalPax.set(k, v);
        else localPax = records;
      }
      offset = dataOffset + padded(header.size);
      continue;
    }
    const pax = new Map([...globalPax, ...localPax]);
    const entry: TarEntry = { ...header, headerOffset: offset, dataOffset };
    const paxPath = pax.get("path");
    if (longName !== undefined) entry.name = longName;
    if (paxPath !== undefined) entry.name = paxPath;
    const paxLink = pax.get("linkpath") ?? longLink;
    if (paxLink !== undefined) entry.linkName = paxLink;
    const paxSize = pax.get("size");
    if (paxSize !== undefined && /^\d+$/.test(paxSize)) entry.size = Number(paxSize);
    localPax = new Map();
    longName = undefined;
    longLink = undefined;
    entries.push(entry);
    const skipsData = REGULAR.has(entry.type) || !KNOWN.has(entry.type);
    if (!skipsData && entry.size > 0) {
      issues.push(
        problem(
          "tar/size-on-non-file",
          `${JSON.stringify(entry.name)} (type ${entry.type}) declares ${entry.size} bytes that tarfile does not skip but other readers do`,
          offset,
        ),
      );
    }
    offset = dataOffset + (skipsData ? padded(entry.size) : 0);
  }
  await checkTail(source, Math.min(offset, source.size), endedBy, issues);
  return { entries, issues };
}

async function checkTail(
  source: ByteSource,
  end: number,
  endedBy: string,
  issues: ContainerIssue[],
): Promise<void> {
  const rest = source.size - end;
  if (rest <= 0) return;
  const tail = await readFully(source, end, Math.min(rest, FIXED_LIMITS.tarTailCheckBytes));
  if (endedBy === "invalid" || rest > FIXED_LIMITS.tarTailCheckBytes || tail.some((b) => b !== 0)) {
    issues.push(
      problem(
        "tar/data-after-end",
        `${rest} bytes after the end of the archive are not read by tarfile`,
        end,
      ),
    );
  }
}

/** pax records: `"%d %s=%s\n"`, the length counting the whole record. Undefined when malformed. */
function parsePax(data: Uint8Array): Map<string, string> | undefined {
  const records = new Map<string, string>();
  const decoder = new TextDecoder("utf-8");
  let pos = 0;
  while (pos < data.length && data[pos] !== 0) {
    let space = pos;
    while (space < data.length && data[space] !== 0x20) space++;
    const length = Number(decoder.decode(data.subarray(pos, space)));
    if (!Number.isInteger(length) || length <= space - pos || pos + length > data.length) return undefined;
    const record = decoder.decode(data.subarray(space + 1, pos + length));
    const eq = record.indexOf("=");
    if (eq < 0 || !record.endsWith("\n")) return undefined;
    records.set(record.slice(0, eq), record.slice(eq + 1, -1));
    pos += length;
  }
  return records;
}

function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

function problem(rule: string, message: string, offset: number): ContainerIssue {
  return {
    rule,
    severity: rule === "tar/bad-header" || rule === "tar/header-too-large" ? "error" : "suspicious",
    message,
    offset,
  };
}
