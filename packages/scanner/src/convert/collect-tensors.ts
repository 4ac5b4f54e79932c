import { FIXED_LIMITS } from "../limits.js";
import { ConvertError } from "./convert-error.js";
import type { ConvertLimits } from "./convert-limits.js";
import { describeValue, dictGet, type PyDict, type PyTensor, type PyValue } from "./py-values.js";

export interface CollectedTensors {
  tensors: { name: string; tensor: PyTensor }[];
  metadata: Record<string, string>;
  notes: string[];
}

/** Metadata keys the converter writes itself. */
const RESERVED_METADATA = new Set(["format"]);

/**
 * Takes the tensors out of a reconstructed checkpoint, as the ecosystem's converter does: the
 * top-level dict (its `state_dict` entry when it has one) maps names to tensors. Short string entries
 * become metadata; everything else (epoch numbers, optimizer state, nested dicts) is left out with a
 * note. Refuses a checkpoint that is not a dict or holds no tensor.
 */
export function collectTensors(root: PyValue, limits: ConvertLimits): CollectedTensors {
  const notes = new NoteList();
  if (root === null || typeof root !== "object" || root.kind !== "dict") {
    throw new ConvertError(
      "convert/not-a-state-dict",
      `the checkpoint holds ${describeValue(root)}, not a dict of tensors`,
    );
  }
  let dict: PyDict = root;
  const inner = dictGet(root, "state_dict");
  if (inner !== undefined && inner !== null && typeof inner === "object" && inner.kind === "dict") {
    const others = root.keys
      .filter((k) => k !== "state_dict")
      .map((k) => String(typeof k === "string" ? k : describeValue(k)));
    if (others.length > 0)
      notes.add(
        `converted the "state_dict" entry; left out ${others.map((k) => JSON.stringify(k)).join(", ")}`,
      );
    dict = inner;
  }
  const tensors: CollectedTensors["tensors"] = [];
  const metadata: Record<string, string> = {};
  for (let i = 0; i < dict.keys.length; i++) {
    const key = dict.keys[i] as PyValue;
    const value = dict.values[i] as PyValue;
    if (typeof key !== "string") {
      notes.add(`left out an entry whose key is ${describeValue(key)}, not a string`);
      continue;
    }
    if (value !== null && typeof value === "object" && value.kind === "tensor") {
      if (key === "__metadata__" || key.length === 0) {
        notes.add(`left out tensor ${JSON.stringify(key)}: safetensors cannot name a tensor so`);
        continue;
      }
      if (tensors.length >= limits.maxTensors) {
        throw new ConvertError(
          "convert/too-many-tensors",
          `the checkpoint holds more than ${limits.maxTensors} tensors`,
        );
      }
      tensors.push({ name: key, tensor: value });
    } else if (typeof value === "string" && RESERVED_METADATA.has(key)) {
      notes.add(`left out ${JSON.stringify(key)} (a string): the converter writes that metadata key itself`);
    } else if (typeof value === "string" && value.length <= limits.maxMetadataStringChars) {
      metadata[key] = value;
      notes.add(`kept ${JSON.stringify(key)} (a string) as metadata`);
    } else {
      notes.add(
        `left out ${JSON.stringify(key)} (${typeof value === "string" ? `a string of ${value.length} characters` : describeValue(value)}): not a tensor`,
      );
    }
  }
  if (tensors.length === 0) {
    throw new ConvertError(
      "convert/no-tensors",
      "the checkpoint holds no tensor at its top level; nothing to convert",
    );
  }
  return { tensors, metadata, notes: notes.list() };
}

/** A bounded list of notes. */
export class NoteList {
  private readonly notes: string[] = [];
  private dropped = 0;

  add(note: string): void {
    if (this.notes.length < FIXED_LIMITS.maxConvertNotesListed) this.notes.push(note);
    else this.dropped++;
  }

  list(): string[] {
    return this.dropped > 0 ? [...this.notes, `and ${this.dropped} more notes`] : [...this.notes];
  }
}
