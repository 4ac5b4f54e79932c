import { ascii, concat } from "./bytes.js";

/**
 * Tokens the mutator inserts or writes over input bytes, so a mutation can produce a valid opcode,
 * magic number or header field in one step instead of by chance: every pickle opcode, import names
 * attackers use, and the signatures and header fragments of zip, npy, safetensors, tar and the
 * compression formats the scanner opens.
 */
const PICKLE_OPCODES = "IJKMLSTUBCNVXFG]ael)t}dsu012(ghjpqrcRbioP.Q".split("").map((c) => ascii(c));
const PICKLE_HIGH_OPCODES = [
  0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91,
  0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98,
].map((b) => new Uint8Array([b]));

const TEXT_TOKENS = [
  "cos\nsystem\n",
  "cposix\nsystem\n",
  "cbuiltins\neval\n",
  "c__builtin__\nexec\n",
  "csubprocess\nPopen\n",
  "ctorch._utils\n_rebuild_tensor_v2\n",
  "ccollections\nOrderedDict\n",
  "(S'true'\ntR.",
  "\x8c\x02os\x94\x8c\x06system\x94\x93",
  "\x8c\x08builtins\x8c\x04exec\x93",
  "os",
  "system",
  "getattr",
  "__reduce__",
  "\x93NUMPY\x01\x00",
  "\x93NUMPY\x02\x00",
  "\x93NUMPY\x03\x00",
  "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }",
  "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
  '{"__metadata__":{"format":"pt"}}',
  '"dtype":"F32","shape":[1],"data_offsets":[0,4]',
  '"data_offsets":[0,18446744073709551615]',
  "PK\x03\x04",
  "PK\x01\x02",
  "PK\x05\x06",
  "PK\x06\x06",
  "PK\x06\x07",
  "PK\x07\x08",
  "archive/data.pkl",
  "archive/version",
  "data/0",
  "../../etc/passwd",
  "ustar\x0000",
  "ustar  \x00",
  "\x1f\x8b\x08\x00",
  "\x78\x9c",
  "\x78\x01",
  "\xfd7zXZ\x00",
  "YZ",
  "\x5d\x00\x00\x80\x00",
  "\x5d\x00\x00\x00\x00",
  "BZh9",
  "1AY&SY",
  "\x04\x22\x4d\x18",
  "GGUF",
  "\x89HDF\r\n\x1a\n",
  "NumpyArrayWrapper",
  "joblib.numpy_pickle",
  "ZF0x",
  "\x7fELF",
];

const latin1Bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);

export const DICTIONARY: readonly Uint8Array[] = [
  ...PICKLE_OPCODES,
  ...PICKLE_HIGH_OPCODES,
  ...TEXT_TOKENS.map(latin1Bytes),
  concat(new Uint8Array([0x95]), new Uint8Array(8)),
];

/** Values that sit at the edges of size and count checks, for integer fields. */
export const INTERESTING_INTEGERS: readonly number[] = [
  0, 1, 2, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
];
