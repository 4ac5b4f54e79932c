import { fromHex } from "../bytes.js";

/**
 * Compressed pickles the harness cannot make itself (Node has no xz, lzma or bzip2 encoder), written
 * by Python's standard library: `lzma.compress(p, format=lzma.FORMAT_ALONE)`, `lzma.compress(p)` (xz)
 * and `bz2.compress(p)`, for p = b"\x80\x02cos\nsystem\n(S'true'\ntR." (malicious) and
 * b"\x80\x02}q\x00X\x01\x00\x00\x00aK\x01s." (benign, `{'a': 1}`). Seeds for mutation.
 */
export const COMPRESSED_SEEDS: readonly { name: string; bytes: Uint8Array }[] = [
  {
    name: "malicious.lzma",
    bytes: fromHex(
      "5d00008000ffffffffffffffff0040008803bc30bd34de2f5e26d069f33f41a1e4f0efa22823b3a4ba84b47d7fffd7e60000",
    ),
  },
  {
    name: "malicious.xz",
    bytes: fromHex(
      "fd377a585a000004e6d6b4460200210116000000742fe5a30100188002636f730a73797374656d0a28532774727565270a74522e000000008383763c388a81e400013119591ab0821fb6f37d010000000004595a",
    ),
  },
  {
    name: "malicious.bz2",
    bytes: fromHex(
      "425a683931415926535971ba413200000c53c0101000c118000a029e2040002000228d1a68f413d42869a600089570c280f65a528f6d1050fc5dc914e14241c6e904c8",
    ),
  },
  {
    name: "benign.lzma",
    bytes: fromHex("5d00008000ffffffffffffffff0040008b29d781624d583f9aef29cbb19e8288fffffd1c0000"),
  },
  {
    name: "benign.xz",
    bytes: fromHex(
      "fd377a585a000004e6d6b4460200210116000000742fe5a301000e80027d71005801000000614b01732e0000b8c04829ebf84d0d0001270fdf1afc6a1fb6f37d010000000004595a",
    ),
  },
  {
    name: "benign.bz2",
    bytes: fromHex(
      "425a6839314159265359c564293f00000757c070000001000800402000280240002000221a01908069a6803466226d9715e2ee48a70a1218ac8527e0",
    ),
  },
];
