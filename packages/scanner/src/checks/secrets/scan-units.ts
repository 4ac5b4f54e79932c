import type { TextFragment } from "../../formats/format-parser.js";
import { FIXED_LIMITS } from "../../limits.js";
import type { Location } from "../../report/types.js";
import { isLockFile } from "./lock-file.js";
import { notebookParts } from "./notebook-parts.js";

/** One text the secrets check scans, with how to locate what it finds there. */
export interface ScanUnit {
  text: string;
  /** Location shared by all its findings (member, offset, cell). */
  location: Location;
  /** Line of the text's first character, when findings get a line and column (files, notebook parts). */
  firstLine: number | undefined;
  /** Extra finding data (`kind`, notebook `part` and `output`). */
  data: Record<string, string | number>;
  lockFile: boolean;
  /**
   * For a synthesised `key = "value"` pair: only key-name detectors, only matches from this position
   * on. Pairs repeat text already scanned (at most 320 characters each), so they do not count
   * against the file's character budget.
   */
  valueStart?: number;
  /** For strings joined into one text: where each starts in it and its offset in the file. */
  segments?: Segments;
}

/** The strings of a joined unit, as parallel arrays (a model can hold millions of strings). */
export interface Segments {
  /** Start of each string in the joined text, increasing. */
  starts: number[];
  /** Offset of each string in its file (NaN when unknown). */
  offsets: number[];
}

/** The file offset of the string holding position `at` of a joined unit. */
export function offsetAt(segments: Segments, at: number): number | undefined {
  const { starts, offsets } = segments;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= at) lo = mid;
    else hi = mid - 1;
  }
  const offset = offsets[lo];
  return offset === undefined || Number.isNaN(offset) ? undefined : offset;
}

/**
 * Pickle dict keys worth pairing with the next string: identifiers that name a credential
 * (`wandb_api_key`, `db_password`), the only keys the key-name detectors can use.
 */
const CREDENTIAL_KEY_NAME =
  /^(?=[A-Za-z0-9_.-]{1,64}$)[A-Za-z_][A-Za-z0-9_.-]*?(?:key|token|secret|pass|credential|auth)/i;

function withMember(fragment: TextFragment, location: Location): Location {
  return fragment.member !== undefined ? { member: fragment.member, ...location } : location;
}

/**
 * Pickled dicts and argparse namespaces store `key, value` as consecutive string constants: the
 * key-name detectors (`wandb_api_key` + 40 hex digits) need them side by side to recognise the value.
 */
function pickledPairs(sorted: readonly TextFragment[]): ScanUnit[] {
  const units: ScanUnit[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const key = sorted[i] as TextFragment;
    const value = sorted[i + 1] as TextFragment;
    if (key.text.length > 64 || key.member !== value.member || !CREDENTIAL_KEY_NAME.test(key.text)) continue;
    if (value.text.length > FIXED_LIMITS.maxPairedValueChars) continue;
    if ((value.offset ?? 0) - (key.offset ?? 0) > key.text.length + FIXED_LIMITS.maxPairGapBytes) continue;
    const prefix = `${key.text} = "`;
    units.push({
      text: `${prefix}${value.text}"`,
      location: withMember(value, value.offset !== undefined ? { offset: value.offset } : {}),
      firstLine: undefined,
      data: { kind: value.kind },
      lockFile: false,
      valueStart: prefix.length,
    });
  }
  return units;
}

function byMemberAndOffset(a: TextFragment, b: TextFragment): number {
  const ma = a.member ?? "";
  const mb = b.member ?? "";
  return ma < mb ? -1 : ma > mb ? 1 : (a.offset ?? 0) - (b.offset ?? 0);
}

/** The pickle strings in member and offset order (the engine usually hands them over in that order already). */
function sortedStrings(texts: readonly TextFragment[]): TextFragment[] {
  const strings = texts.filter((t) => t.kind === "pickle-string");
  for (let i = 1; i < strings.length; i++) {
    if (byMemberAndOffset(strings[i - 1] as TextFragment, strings[i] as TextFragment) > 0) {
      return strings.sort(byMemberAndOffset);
    }
  }
  return strings;
}

/** Joins pickle strings, member by member, into texts of at most `FIXED_LIMITS.maxJoinedStringChars` (one per line). */
function joinedStrings(sorted: readonly TextFragment[]): ScanUnit[] {
  const units: ScanUnit[] = [];
  let parts: string[] = [];
  let segments: Segments = { starts: [], offsets: [] };
  let length = 0;
  let member: string | undefined;
  const flush = () => {
    if (parts.length === 0) return;
    const location: Location = member !== undefined ? { member } : {};
    units.push({
      text: parts.join("\n"),
      location,
      firstLine: undefined,
      data: { kind: "pickle-string" },
      lockFile: false,
      segments,
    });
    parts = [];
    segments = { starts: [], offsets: [] };
    length = 0;
  };
  for (const s of sorted) {
    if (s.member !== member || length + s.text.length > FIXED_LIMITS.maxJoinedStringChars) flush();
    member = s.member;
    segments.starts.push(length);
    segments.offsets.push(s.offset ?? Number.NaN);
    parts.push(s.text);
    length += s.text.length + 1;
  }
  flush();
  return units;
}

/**
 * Splits a file's text fragments into scan units: whole text files (or, for a Jupyter notebook, its
 * decoded cells and outputs), strings from model files (pickle strings joined per member), and
 * synthesised pickled key/value pairs.
 */
export function scanUnits(
  texts: readonly TextFragment[],
  path: string,
  maxNotebookCells: number,
): ScanUnit[] {
  const units: ScanUnit[] = [];
  for (const fragment of texts) {
    if (fragment.kind === "file") {
      const lockFile = isLockFile(fragment.member ?? path);
      const parts = notebookParts(fragment.text, maxNotebookCells);
      if (parts) {
        for (const p of parts) {
          const data: Record<string, string | number> = { kind: "notebook", part: p.part };
          if (p.output !== undefined) data.output = p.output;
          const location = withMember(fragment, p.cell !== undefined ? { cell: p.cell } : {});
          units.push({ text: p.text, location, firstLine: 1, data, lockFile });
        }
        continue;
      }
      units.push({
        text: fragment.text,
        location: withMember(fragment, {}),
        firstLine: fragment.line ?? 1,
        data: { kind: "file" },
        lockFile,
      });
      continue;
    }
    if (fragment.kind === "pickle-string") continue;
    const location = withMember(fragment, fragment.offset !== undefined ? { offset: fragment.offset } : {});
    units.push({
      text: fragment.text,
      location,
      firstLine: undefined,
      data: { kind: fragment.kind },
      lockFile: false,
    });
  }
  const strings = sortedStrings(texts);
  units.push(...joinedStrings(strings), ...pickledPairs(strings));
  return units;
}
