import type { TextFragment } from "../../formats/format-parser.js";
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
}

/** Pickle dict keys worth pairing with the next string (`wandb_api_key`, `hf_token`): an identifier. */
const KEY_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
/** Longest value paired: key-name detectors look for values of at most ~100 characters. */
const MAX_PAIRED_VALUE_CHARS = 256;
/** Largest gap between a pickled key and its value (memo and framing opcodes sit between them). */
const MAX_PAIR_GAP_BYTES = 256;

function withMember(fragment: TextFragment, location: Location): Location {
  return fragment.member !== undefined ? { member: fragment.member, ...location } : location;
}

/**
 * Pickled dicts and argparse namespaces store `key, value` as consecutive string constants: the
 * key-name detectors (`wandb_api_key` + 40 hex digits) need them side by side to recognise the value.
 */
function pickledPairs(strings: readonly TextFragment[], path: string): ScanUnit[] {
  const sorted = [...strings].sort(
    (a, b) => (a.member ?? "").localeCompare(b.member ?? "") || (a.offset ?? 0) - (b.offset ?? 0),
  );
  const units: ScanUnit[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const key = sorted[i] as TextFragment;
    const value = sorted[i + 1] as TextFragment;
    if (!KEY_NAME.test(key.text) || key.member !== value.member) continue;
    if (value.text.length > MAX_PAIRED_VALUE_CHARS) continue;
    if ((value.offset ?? 0) - (key.offset ?? 0) > key.text.length + MAX_PAIR_GAP_BYTES) continue;
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

/**
 * Splits a file's text fragments into scan units: whole text files (or, for a Jupyter notebook, its
 * decoded cells and outputs), strings from model files, and synthesised pickled key/value pairs.
 */
export function scanUnits(
  texts: readonly TextFragment[],
  path: string,
  maxNotebookCells: number,
): ScanUnit[] {
  const units: ScanUnit[] = [];
  for (const fragment of texts) {
    const lockFile = isLockFile(fragment.member ?? path);
    if (fragment.kind === "file") {
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
    const location = withMember(fragment, fragment.offset !== undefined ? { offset: fragment.offset } : {});
    units.push({
      text: fragment.text,
      location,
      firstLine: undefined,
      data: { kind: fragment.kind },
      lockFile,
    });
  }
  units.push(
    ...pickledPairs(
      texts.filter((t) => t.kind === "pickle-string"),
      path,
    ),
  );
  return units;
}
