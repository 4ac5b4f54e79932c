import { concat, indexOf, le } from "./bytes.js";
import { DICTIONARY, INTERESTING_INTEGERS } from "./dictionary.js";
import type { Rng } from "./rng.js";

/** Byte offsets of the fields worth lying in, relative to each zip record's signature. */
const ZIP_FIELDS: readonly { signature: Uint8Array; fields: readonly [number, number][] }[] = [
  // local header: flags, method, crc, sizes, name length, extra length
  {
    signature: new Uint8Array([0x50, 0x4b, 3, 4]),
    fields: [
      [6, 2],
      [8, 2],
      [14, 4],
      [18, 4],
      [22, 4],
      [26, 2],
      [28, 2],
    ],
  },
  // central header: flags, method, crc, sizes, name/extra/comment lengths, local header offset
  {
    signature: new Uint8Array([0x50, 0x4b, 1, 2]),
    fields: [
      [8, 2],
      [10, 2],
      [16, 4],
      [20, 4],
      [24, 4],
      [28, 2],
      [30, 2],
      [32, 2],
      [42, 4],
    ],
  },
  // end of central directory: entry counts, directory size and offset, comment length
  {
    signature: new Uint8Array([0x50, 0x4b, 5, 6]),
    fields: [
      [8, 2],
      [10, 2],
      [12, 4],
      [16, 4],
      [20, 2],
    ],
  },
];

export type Mutator = (rng: Rng, input: Uint8Array, others: readonly Uint8Array[]) => Uint8Array;

const at = (rng: Rng, input: Uint8Array) => rng.int(input.length + 1);

const flipBit: Mutator = (rng, input) => {
  if (input.length === 0) return input;
  const out = input.slice();
  const i = rng.int(out.length);
  out[i] = (out[i] ?? 0) ^ (1 << rng.int(8));
  return out;
};

const setByte: Mutator = (rng, input) => {
  if (input.length === 0) return input;
  const out = input.slice();
  out[rng.int(out.length)] = rng.pick([0, 0xff, 0x7f, 0x80, 0x0a, 0x2e, 0x28, rng.int(256)]);
  return out;
};

const insertBytes: Mutator = (rng, input) => {
  const i = at(rng, input);
  return concat(input.subarray(0, i), rng.bytes(rng.range(1, 8)), input.subarray(i));
};

const deleteRange: Mutator = (rng, input) => {
  const i = at(rng, input);
  return concat(input.subarray(0, i), input.subarray(Math.min(input.length, i + rng.range(1, 32))));
};

const duplicateRange: Mutator = (rng, input) => {
  const i = at(rng, input);
  const piece = input.subarray(i, i + rng.range(1, 256));
  const j = at(rng, input);
  return concat(input.subarray(0, j), piece, input.subarray(j));
};

const insertToken: Mutator = (rng, input) => {
  const i = at(rng, input);
  return concat(input.subarray(0, i), rng.pick(DICTIONARY), input.subarray(i));
};

const overwriteToken: Mutator = (rng, input) => {
  const token = rng.pick(DICTIONARY);
  const i = rng.int(Math.max(1, input.length - token.length + 1));
  const out = input.length >= i + token.length ? input.slice() : concat(input, new Uint8Array(token.length));
  out.set(token, i);
  return out;
};

const interestingInteger: Mutator = (rng, input) => {
  const width = rng.pick([1, 2, 4, 8]);
  if (input.length < width) return input;
  const out = input.slice();
  out.set(le(width, rng.pick(INTERESTING_INTEGERS)), rng.int(out.length - width + 1));
  return out;
};

const truncate: Mutator = (rng, input) => input.subarray(0, rng.int(input.length));

const splice: Mutator = (rng, input, others) => {
  if (others.length === 0) return input;
  const other = rng.pick(others);
  const i = at(rng, input);
  const j = rng.int(other.length + 1);
  return concat(input.subarray(0, i), other.subarray(j, j + rng.range(1, 4096)));
};

/** Writes an edge value into a field of a zip record found in the input. */
const zipField: Mutator = (rng, input) => {
  const record = rng.pick(ZIP_FIELDS);
  const hits: number[] = [];
  for (
    let i = indexOf(input, record.signature);
    i >= 0 && hits.length < 64;
    i = indexOf(input, record.signature, i + 1)
  )
    hits.push(i);
  if (hits.length === 0) return input;
  const [offset, width] = rng.pick(record.fields);
  const start = rng.pick(hits) + offset;
  if (start + width > input.length) return input;
  const out = input.slice();
  const current = out.subarray(start, start + width).reduceRight((v, b) => v * 256 + b, 0);
  const value = rng.pick([...INTERESTING_INTEGERS, current + 1, current - 1, current * 2, 8, 0]);
  out.set(le(width, value), start);
  return out;
};

/** Rewrites a pickle STOP (where the stream may continue) or protocol byte. */
const pickleStructure: Mutator = (rng, input) => {
  const stops: number[] = [];
  for (let i = 0; i < input.length && stops.length < 64; i++) if (input[i] === 0x2e) stops.push(i);
  const out = input.slice();
  if (stops.length > 0 && rng.chance(0.5)) out[rng.pick(stops)] = rng.pick([0x30, 0x4e, 0x95, 0x28]);
  else if (out[0] === 0x80 && out.length > 1) out[1] = rng.int(7);
  else return insertToken(rng, input, []);
  return out;
};

export const MUTATORS: readonly Mutator[] = [
  flipBit,
  setByte,
  insertBytes,
  deleteRange,
  duplicateRange,
  insertToken,
  overwriteToken,
  interestingInteger,
  interestingInteger,
  truncate,
  splice,
  zipField,
  zipField,
  pickleStructure,
];

/** One to five stacked mutations of `input`, capped at `maxBytes`. */
export function mutate(
  rng: Rng,
  input: Uint8Array,
  others: readonly Uint8Array[],
  maxBytes: number,
): Uint8Array {
  let out = input;
  for (let n = rng.range(1, 5); n > 0; n--) out = rng.pick(MUTATORS)(rng, out, others);
  return out.length > maxBytes ? out.subarray(0, maxBytes) : out;
}
