import { OPCODES } from "../opcodes.js";

/** Opcode names as pickletools spells them. */
export type OpName = (typeof OPCODES)[number]["name"];

const CODE_BY_NAME = new Map(OPCODES.map((o) => [o.name, o.code]));
const encoder = new TextEncoder();

/** Every opcode name some builder has written in this test process (for coverage assertions). */
export const writtenOpcodes = new Set<string>();

function le(value: number | bigint, bytes: number): number[] {
  let v = BigInt.asUintN(bytes * 8, BigInt(value));
  const out: number[] = [];
  for (let i = 0; i < bytes; i++) {
    out.push(Number(v & 0xffn));
    v >>= 8n;
  }
  return out;
}

/** Minimal two's complement little-endian bytes of `value`, as `pickle.encode_long` writes them. */
export function encodeLong(value: bigint): number[] {
  if (value === 0n) return [];
  const out: number[] = [];
  let v = value;
  for (;;) {
    out.push(Number(BigInt.asUintN(8, v)));
    v >>= 8n;
    const last = out[out.length - 1] as number;
    if ((v === 0n && (last & 0x80) === 0) || (v === -1n && (last & 0x80) !== 0)) break;
  }
  return out;
}

/**
 * Writes pickle streams opcode by opcode, so tests state exactly which bytes the scanner sees.
 * Every method appends one opcode (with its argument) and returns the builder.
 */
export class PickleBuilder {
  private readonly out: number[] = [];

  /** Appends raw bytes (payloads, junk, inline array data). */
  raw(...chunks: (number | readonly number[] | Uint8Array)[]): this {
    for (const c of chunks) {
      if (typeof c === "number") this.out.push(c);
      else for (const b of c) this.out.push(b);
    }
    return this;
  }

  /** Appends an opcode by name, followed by raw argument bytes. */
  op(name: OpName, ...arg: (number | readonly number[] | Uint8Array)[]): this {
    const code = CODE_BY_NAME.get(name);
    if (code === undefined) throw new Error(`no opcode ${name}`);
    writtenOpcodes.add(name);
    return this.raw(code, ...arg);
  }

  get length(): number {
    return this.out.length;
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }

  // ---- framing -------------------------------------------------------------------------------------
  proto(n: number): this {
    return this.op("PROTO", n);
  }
  frame(length: number | bigint): this {
    return this.op("FRAME", le(length, 8));
  }
  stop(): this {
    return this.op("STOP");
  }

  // ---- stack and memo ------------------------------------------------------------------------------
  mark(): this {
    return this.op("MARK");
  }
  pop(): this {
    return this.op("POP");
  }
  popMark(): this {
    return this.op("POP_MARK");
  }
  dup(): this {
    return this.op("DUP");
  }
  put(i: number | string): this {
    return this.op("PUT", encoder.encode(`${i}\n`));
  }
  binput(i: number): this {
    return this.op("BINPUT", i);
  }
  longBinput(i: number): this {
    return this.op("LONG_BINPUT", le(i, 4));
  }
  memoize(): this {
    return this.op("MEMOIZE");
  }
  get(i: number | string): this {
    return this.op("GET", encoder.encode(`${i}\n`));
  }
  binget(i: number): this {
    return this.op("BINGET", i);
  }
  longBinget(i: number): this {
    return this.op("LONG_BINGET", le(i, 4));
  }

  // ---- constants -----------------------------------------------------------------------------------
  none(): this {
    return this.op("NONE");
  }
  newTrue(): this {
    return this.op("NEWTRUE");
  }
  newFalse(): this {
    return this.op("NEWFALSE");
  }
  int(text: number | string): this {
    return this.op("INT", encoder.encode(`${text}\n`));
  }
  binint(n: number): this {
    return this.op("BININT", le(n, 4));
  }
  binint1(n: number): this {
    return this.op("BININT1", n);
  }
  binint2(n: number): this {
    return this.op("BININT2", le(n, 2));
  }
  long(text: bigint | string): this {
    return this.op("LONG", encoder.encode(typeof text === "string" ? `${text}\n` : `${text}L\n`));
  }
  long1(value: bigint): this {
    const b = encodeLong(value);
    return this.op("LONG1", b.length, b);
  }
  long4(value: bigint): this {
    const b = encodeLong(value);
    return this.op("LONG4", le(b.length, 4), b);
  }
  float(text: number | string): this {
    return this.op("FLOAT", encoder.encode(`${text}\n`));
  }
  binfloat(x: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, x, false);
    return this.op("BINFLOAT", b);
  }

  // ---- strings and bytes ---------------------------------------------------------------------------
  /** STRING: protocol 0, a quoted Python bytes literal (`quoted` is written as given). */
  string(quoted: string): this {
    return this.op("STRING", encoder.encode(`${quoted}\n`));
  }
  binstring(s: string): this {
    const b = encoder.encode(s);
    return this.op("BINSTRING", le(b.length, 4), b);
  }
  shortBinstring(s: string): this {
    const b = encoder.encode(s);
    return this.op("SHORT_BINSTRING", b.length, b);
  }
  /** UNICODE: raw-unicode-escape text written as given (keep it ASCII or escape it yourself). */
  unicode(text: string): this {
    return this.op("UNICODE", encoder.encode(`${text}\n`));
  }
  shortBinunicode(s: string): this {
    const b = encoder.encode(s);
    if (b.length > 255) throw new Error("SHORT_BINUNICODE holds at most 255 bytes");
    return this.op("SHORT_BINUNICODE", b.length, b);
  }
  binunicode(s: string | Uint8Array): this {
    const b = typeof s === "string" ? encoder.encode(s) : s;
    return this.op("BINUNICODE", le(b.length, 4), b);
  }
  binunicode8(s: string): this {
    const b = encoder.encode(s);
    return this.op("BINUNICODE8", le(b.length, 8), b);
  }
  shortBinbytes(b: readonly number[] | Uint8Array): this {
    return this.op("SHORT_BINBYTES", b.length, b);
  }
  binbytes(b: readonly number[] | Uint8Array): this {
    return this.op("BINBYTES", le(b.length, 4), b);
  }
  binbytes8(b: readonly number[] | Uint8Array): this {
    return this.op("BINBYTES8", le(b.length, 8), b);
  }
  bytearray8(b: readonly number[] | Uint8Array): this {
    return this.op("BYTEARRAY8", le(b.length, 8), b);
  }
  nextBuffer(): this {
    return this.op("NEXT_BUFFER");
  }
  readonlyBuffer(): this {
    return this.op("READONLY_BUFFER");
  }
  /** The shortest string opcode protocol 4 would use. */
  str(s: string): this {
    return encoder.encode(s).length < 256 ? this.shortBinunicode(s) : this.binunicode(s);
  }

  // ---- containers ----------------------------------------------------------------------------------
  emptyList(): this {
    return this.op("EMPTY_LIST");
  }
  append(): this {
    return this.op("APPEND");
  }
  appends(): this {
    return this.op("APPENDS");
  }
  list(): this {
    return this.op("LIST");
  }
  emptyTuple(): this {
    return this.op("EMPTY_TUPLE");
  }
  tuple(): this {
    return this.op("TUPLE");
  }
  tuple1(): this {
    return this.op("TUPLE1");
  }
  tuple2(): this {
    return this.op("TUPLE2");
  }
  tuple3(): this {
    return this.op("TUPLE3");
  }
  emptyDict(): this {
    return this.op("EMPTY_DICT");
  }
  dict(): this {
    return this.op("DICT");
  }
  setitem(): this {
    return this.op("SETITEM");
  }
  setitems(): this {
    return this.op("SETITEMS");
  }
  emptySet(): this {
    return this.op("EMPTY_SET");
  }
  additems(): this {
    return this.op("ADDITEMS");
  }
  frozenset(): this {
    return this.op("FROZENSET");
  }

  // ---- imports and calls ---------------------------------------------------------------------------
  global(module: string, name: string): this {
    return this.op("GLOBAL", encoder.encode(`${module}\n${name}\n`));
  }
  inst(module: string, name: string): this {
    return this.op("INST", encoder.encode(`${module}\n${name}\n`));
  }
  stackGlobal(): this {
    return this.op("STACK_GLOBAL");
  }
  reduce(): this {
    return this.op("REDUCE");
  }
  build(): this {
    return this.op("BUILD");
  }
  obj(): this {
    return this.op("OBJ");
  }
  newobj(): this {
    return this.op("NEWOBJ");
  }
  newobjEx(): this {
    return this.op("NEWOBJ_EX");
  }
  ext1(code: number): this {
    return this.op("EXT1", code);
  }
  ext2(code: number): this {
    return this.op("EXT2", le(code, 2));
  }
  ext4(code: number): this {
    return this.op("EXT4", le(code, 4));
  }
  persid(id: string): this {
    return this.op("PERSID", encoder.encode(`${id}\n`));
  }
  binpersid(): this {
    return this.op("BINPERSID");
  }

  // ---- common shapes -------------------------------------------------------------------------------
  /** `module.name(*args)` with GLOBAL and REDUCE, string arguments as protocol 2 writes them. */
  callGlobal(module: string, name: string, ...args: string[]): this {
    this.global(module, name).mark();
    for (const a of args) this.binunicode(a);
    return this.tuple().reduce();
  }
  /** `module.name(*args)` with STACK_GLOBAL and REDUCE, as protocol 4 writes it. */
  callStackGlobal(module: string, name: string, ...args: string[]): this {
    this.str(module).str(name).stackGlobal().mark();
    for (const a of args) this.str(a);
    return this.tuple().reduce();
  }
}

/** A new builder. */
export const pickle = (): PickleBuilder => new PickleBuilder();

/** `PROTO n` ... `STOP` around what `body` writes. */
export function wrap(protocol: number, body: (b: PickleBuilder) => unknown): Uint8Array {
  const b = pickle().proto(protocol);
  body(b);
  return b.stop().bytes();
}

/** Concatenates byte arrays (one helper for every test fixture builder). */
export { concat } from "../../formats/test-helpers/bytes.js";
