/**
 * CPython's 68 pickle opcodes (protocols 0 to 5), as listed in `Lib/pickletools.py`.
 * Argument kinds follow pickletools' names; `line` kinds end at the next `\n`.
 */
export type ArgKind =
  | "none"
  | "uint1"
  | "uint2"
  | "int4"
  | "uint4"
  | "uint8"
  | "float8"
  | "line" // decimalnl_short, decimalnl_long, floatnl, stringnl, unicodestringnl, stringnl_noescape
  | "line2" // stringnl_noescape_pair (GLOBAL, INST)
  | "len1" // string1, bytes1, unicodestring1, long1: 1-byte length then payload
  | "len4u" // bytes4, unicodestring4: unsigned 4-byte length
  | "len4s" // string4, long4: signed 4-byte length (negative is an error)
  | "len8"; // bytes8, unicodestring8, bytearray8

export interface OpcodeInfo {
  code: number;
  name: string;
  arg: ArgKind;
  /** Protocol that introduced it. */
  proto: number;
}

const c = (ch: string) => ch.charCodeAt(0);

/** Every opcode, in pickletools' order. */
export const OPCODES: readonly OpcodeInfo[] = [
  { code: c("I"), name: "INT", arg: "line", proto: 0 },
  { code: c("J"), name: "BININT", arg: "int4", proto: 1 },
  { code: c("K"), name: "BININT1", arg: "uint1", proto: 1 },
  { code: c("M"), name: "BININT2", arg: "uint2", proto: 1 },
  { code: c("L"), name: "LONG", arg: "line", proto: 0 },
  { code: 0x8a, name: "LONG1", arg: "len1", proto: 2 },
  { code: 0x8b, name: "LONG4", arg: "len4s", proto: 2 },
  { code: c("S"), name: "STRING", arg: "line", proto: 0 },
  { code: c("T"), name: "BINSTRING", arg: "len4s", proto: 1 },
  { code: c("U"), name: "SHORT_BINSTRING", arg: "len1", proto: 1 },
  { code: c("B"), name: "BINBYTES", arg: "len4u", proto: 3 },
  { code: c("C"), name: "SHORT_BINBYTES", arg: "len1", proto: 3 },
  { code: 0x8e, name: "BINBYTES8", arg: "len8", proto: 4 },
  { code: 0x96, name: "BYTEARRAY8", arg: "len8", proto: 5 },
  { code: 0x97, name: "NEXT_BUFFER", arg: "none", proto: 5 },
  { code: 0x98, name: "READONLY_BUFFER", arg: "none", proto: 5 },
  { code: c("N"), name: "NONE", arg: "none", proto: 0 },
  { code: 0x88, name: "NEWTRUE", arg: "none", proto: 2 },
  { code: 0x89, name: "NEWFALSE", arg: "none", proto: 2 },
  { code: c("V"), name: "UNICODE", arg: "line", proto: 0 },
  { code: 0x8c, name: "SHORT_BINUNICODE", arg: "len1", proto: 4 },
  { code: c("X"), name: "BINUNICODE", arg: "len4u", proto: 1 },
  { code: 0x8d, name: "BINUNICODE8", arg: "len8", proto: 4 },
  { code: c("F"), name: "FLOAT", arg: "line", proto: 0 },
  { code: c("G"), name: "BINFLOAT", arg: "float8", proto: 1 },
  { code: c("]"), name: "EMPTY_LIST", arg: "none", proto: 1 },
  { code: c("a"), name: "APPEND", arg: "none", proto: 0 },
  { code: c("e"), name: "APPENDS", arg: "none", proto: 1 },
  { code: c("l"), name: "LIST", arg: "none", proto: 0 },
  { code: c(")"), name: "EMPTY_TUPLE", arg: "none", proto: 1 },
  { code: c("t"), name: "TUPLE", arg: "none", proto: 0 },
  { code: 0x85, name: "TUPLE1", arg: "none", proto: 2 },
  { code: 0x86, name: "TUPLE2", arg: "none", proto: 2 },
  { code: 0x87, name: "TUPLE3", arg: "none", proto: 2 },
  { code: c("}"), name: "EMPTY_DICT", arg: "none", proto: 1 },
  { code: c("d"), name: "DICT", arg: "none", proto: 0 },
  { code: c("s"), name: "SETITEM", arg: "none", proto: 0 },
  { code: c("u"), name: "SETITEMS", arg: "none", proto: 1 },
  { code: 0x8f, name: "EMPTY_SET", arg: "none", proto: 4 },
  { code: 0x90, name: "ADDITEMS", arg: "none", proto: 4 },
  { code: 0x91, name: "FROZENSET", arg: "none", proto: 4 },
  { code: c("0"), name: "POP", arg: "none", proto: 0 },
  { code: c("2"), name: "DUP", arg: "none", proto: 0 },
  { code: c("("), name: "MARK", arg: "none", proto: 0 },
  { code: c("1"), name: "POP_MARK", arg: "none", proto: 1 },
  { code: c("g"), name: "GET", arg: "line", proto: 0 },
  { code: c("h"), name: "BINGET", arg: "uint1", proto: 1 },
  { code: c("j"), name: "LONG_BINGET", arg: "uint4", proto: 1 },
  { code: c("p"), name: "PUT", arg: "line", proto: 0 },
  { code: c("q"), name: "BINPUT", arg: "uint1", proto: 1 },
  { code: c("r"), name: "LONG_BINPUT", arg: "uint4", proto: 1 },
  { code: 0x94, name: "MEMOIZE", arg: "none", proto: 4 },
  { code: 0x82, name: "EXT1", arg: "uint1", proto: 2 },
  { code: 0x83, name: "EXT2", arg: "uint2", proto: 2 },
  { code: 0x84, name: "EXT4", arg: "int4", proto: 2 },
  { code: c("c"), name: "GLOBAL", arg: "line2", proto: 0 },
  { code: 0x93, name: "STACK_GLOBAL", arg: "none", proto: 4 },
  { code: c("R"), name: "REDUCE", arg: "none", proto: 0 },
  { code: c("b"), name: "BUILD", arg: "none", proto: 0 },
  { code: c("i"), name: "INST", arg: "line2", proto: 0 },
  { code: c("o"), name: "OBJ", arg: "none", proto: 1 },
  { code: 0x81, name: "NEWOBJ", arg: "none", proto: 2 },
  { code: 0x92, name: "NEWOBJ_EX", arg: "none", proto: 4 },
  { code: 0x80, name: "PROTO", arg: "uint1", proto: 2 },
  { code: c("."), name: "STOP", arg: "none", proto: 0 },
  { code: 0x95, name: "FRAME", arg: "uint8", proto: 4 },
  { code: c("P"), name: "PERSID", arg: "line", proto: 0 },
  { code: c("Q"), name: "BINPERSID", arg: "none", proto: 1 },
];

/** Opcode info by byte value (undefined for bytes that are not opcodes). */
export const OPCODE_BY_BYTE: readonly (OpcodeInfo | undefined)[] = (() => {
  const table: (OpcodeInfo | undefined)[] = new Array(256).fill(undefined);
  for (const op of OPCODES) table[op.code] = op;
  return table;
})();

/** Highest protocol CPython's unpickler accepts (`pickle.HIGHEST_PROTOCOL`). */
export const HIGHEST_PROTOCOL = 5;
