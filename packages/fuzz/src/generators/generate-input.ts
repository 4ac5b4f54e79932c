import { deflateSync, gzipSync } from "node:zlib";
import { ascii, concat, le } from "../bytes.js";
import type { Rng } from "../rng.js";
import { generatePickle, generatePickleStream } from "./pickle-stream.js";
import { buildZip, ZIP_LIES, type ZipLie } from "./zip-builder.js";

/** A generated input, and the pickle it carries. */
export interface GeneratedInput {
  bytes: Uint8Array;
  /** What was built, for the failure report (`torch-zip(lies: crc)`). */
  label: string;
  /**
   * The pickle inside, when every layer around it is honest (real loaders open it as written), so
   * the oracle's answer for that pickle is the answer for the whole file.
   */
  honestPickle?: Uint8Array;
}

type Wrapper = (rng: Rng, pickle: Uint8Array, honest: boolean) => { bytes: Uint8Array; label: string };

function lies(rng: Rng, honest: boolean): ZipLie[] {
  if (honest) return [];
  const out: ZipLie[] = [];
  for (let i = rng.range(1, 2); i > 0; i--) out.push(rng.pick(ZIP_LIES));
  return out;
}

function npy(rng: Rng, pickle: Uint8Array, honest: boolean): Uint8Array {
  const major = rng.range(1, 3);
  const dict = `{'descr': '|O', 'fortran_order': False, 'shape': (${honest ? 1 : rng.int(3)},), }`;
  const lenBytes = major === 1 ? 2 : 4;
  const unpadded = 6 + 2 + lenBytes + dict.length + 1;
  const pad = (64 - (unpadded % 64)) % 64;
  const header = `${dict}${" ".repeat(pad)}\n`;
  return concat(
    new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]),
    le(lenBytes, header.length),
    ascii(header),
    pickle,
  );
}

function tarMember(name: string, data: Uint8Array): Uint8Array {
  const header = new Uint8Array(512);
  header.set(ascii(name).subarray(0, 100), 0);
  header.set(ascii("0000644\0"), 100);
  header.set(ascii("0000000\0"), 108);
  header.set(ascii("0000000\0"), 116);
  header.set(ascii(`${data.length.toString(8).padStart(11, "0")}\0`), 124);
  header.set(ascii("00000000000\0"), 136);
  header.set(ascii("        "), 148);
  header[156] = 0x30;
  header.set(ascii("ustar\x0000"), 257);
  let sum = 0;
  for (const b of header) sum += b;
  header.set(ascii(`${sum.toString(8).padStart(6, "0")}\0 `), 148);
  const padded = new Uint8Array(Math.ceil(data.length / 512) * 512);
  padded.set(data);
  return concat(header, padded);
}

const tar = (members: [string, Uint8Array][]) =>
  concat(...members.map(([n, d]) => tarMember(n, d)), new Uint8Array(1024));

/** PyTorch's legacy layout: magic number, protocol version, sys_info, the object, storage keys. */
function torchLegacy(pickle: Uint8Array): Uint8Array {
  const magic = new Uint8Array([
    0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e,
  ]);
  const version = new Uint8Array([0x80, 0x02, 0x4d, 0xe9, 0x03, 0x2e]);
  const sysInfo = concat(
    new Uint8Array([0x80, 0x02, 0x7d, 0x28]),
    ascii("X"),
    le(4, 16),
    ascii("protocol_version"),
    new Uint8Array([0x4d, 0xe9, 0x03]),
    ascii("X"),
    le(4, 13),
    ascii("little_endian"),
    new Uint8Array([0x88, 0x75, 0x2e]),
  );
  return concat(magic, version, sysInfo, pickle, new Uint8Array([0x80, 0x02, 0x5d, 0x2e]));
}

const WRAPPERS: readonly [string, Wrapper][] = [
  ["pickle", (_r, p) => ({ bytes: p, label: "pickle" })],
  [
    "torch-zip",
    (r, p, honest) => {
      const l = lies(r, honest);
      const top = r.pick(["archive", "model", "a"]);
      const members = [
        { name: `${top}/data.pkl`, data: p },
        { name: `${top}/version`, data: ascii("3\n") },
        { name: `${top}/data/0`, data: r.bytes(r.int(64)) },
      ];
      return { bytes: buildZip(r, r.chance(0.3) ? members.reverse() : members, l), label: `torch-zip(${l})` };
    },
  ],
  [
    "npz",
    (r, p, honest) => {
      const l = lies(r, honest);
      return { bytes: buildZip(r, [{ name: "arr_0.npy", data: npy(r, p, true) }], l), label: `npz(${l})` };
    },
  ],
  ["npy", (r, p, honest) => ({ bytes: npy(r, p, honest), label: "npy" })],
  [
    "safetensors",
    (r, p, honest) => {
      const json = honest
        ? '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"__metadata__":{"format":"pt"}}'
        : r.pick(['{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}', "[]", "{", '{"w":1}']);
      const header = ascii(json);
      // The pickle rides after the tensor data, where a lax reader stops.
      return { bytes: concat(le(8, header.length), header, new Uint8Array(4), p), label: "safetensors+tail" };
    },
  ],
  [
    "torch-tar",
    (_r, p) => ({
      bytes: tar([
        ["sys_info", new Uint8Array([0x80, 0x02, 0x7d, 0x2e])],
        ["pickle", p],
        ["tensors", new Uint8Array([0x80, 0x02, 0x4b, 0x00, 0x2e])],
        ["storages", new Uint8Array([0x80, 0x02, 0x4b, 0x00, 0x2e])],
      ]),
      label: "torch-tar",
    }),
  ],
  ["tar", (_r, p) => ({ bytes: tar([["model.pkl", p]]), label: "tar" })],
  ["gzip", (_r, p) => ({ bytes: new Uint8Array(gzipSync(p)), label: "gzip" })],
  ["joblib-zlib", (_r, p) => ({ bytes: new Uint8Array(deflateSync(p)), label: "joblib-zlib" })],
  ["torch-legacy", (_r, p) => ({ bytes: torchLegacy(p), label: "torch-legacy" })],
];

/**
 * A fresh input: a generated pickle, wrapped in zero to two containers (PyTorch zip or tar or legacy,
 * npz, npy, safetensors with a tail, tar, gzip, joblib zlib), honest or lying about its structure.
 */
export function generateInput(rng: Rng, options: { payload?: boolean } = {}): GeneratedInput {
  const pickle = rng.chance(0.8) ? generatePickle(rng, options) : generatePickleStream(rng, options);
  let honest = rng.chance(0.6);
  let bytes = pickle;
  const labels: string[] = [];
  for (let layers = rng.int(3); layers > 0; layers--) {
    const [, wrap] = rng.pick(WRAPPERS);
    const layerHonest = honest && rng.chance(0.8);
    const out = wrap(rng, bytes, layerHonest);
    honest = layerHonest;
    bytes = out.bytes;
    labels.push(out.label);
  }
  const label = labels.length > 0 ? labels.reverse().join(" > ") : "pickle";
  return honest ? { bytes, label, honestPickle: pickle } : { bytes, label };
}
