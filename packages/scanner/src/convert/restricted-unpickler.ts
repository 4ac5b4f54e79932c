import {
  decodeUtf8,
  LINE_PENDING,
  lineEnd,
  readF64,
  readI32,
  readLong,
  readU16,
  readU32,
  readU64,
} from "../pickle/opcode-args.js";
import { HIGHEST_PROTOCOL } from "../pickle/opcodes.js";
import {
  decodeEscapedString,
  decodeRawUnicodeEscape,
  latin1,
  parseIntText,
} from "../pickle/python-literals.js";
import { ConvertError } from "./convert-error.js";
import type { ConvertLimits } from "./convert-limits.js";
import { describeValue, dictSet, newDict, type PyDict, type PyValue } from "./py-values.js";
import { callGlobal, resolveGlobal } from "./torch-globals.js";

/** Turns a persistent id into the object it stands for (a storage), or refuses it. */
export type PersistentLoad = (pid: PyValue) => PyValue;

export interface UnpickleResult {
  value: PyValue;
  /** Offset just past STOP. */
  end: number;
}

/** Marks an entry of the stack that a MARK opcode put there. */
const MARK: unique symbol = Symbol("mark");
type Slot = PyValue | typeof MARK;

/**
 * A pickle machine that builds concrete values, like CPython's `_pickle.Unpickler`, but knows only
 * the callables of `resolveGlobal`: every other import, extension code, out-of-band buffer or
 * object-creating opcode (INST, OBJ, NEWOBJ) throws a `ConvertError` naming it. Nothing is executed;
 * the allowed callables are reimplemented in `callGlobal`. Every size is bounded by `limits`.
 * Opcode arguments are read by the pickle engine's own readers (pickle/opcode-args.ts), so the
 * converter and the scanner read the bytes of a stream alike.
 */
export function restrictedUnpickle(
  bytes: Uint8Array,
  start: number,
  persistentLoad: PersistentLoad,
  limits: ConvertLimits,
): UnpickleResult {
  return new Unpickler(bytes, start, persistentLoad, limits).run();
}

class Unpickler {
  private readonly stack: Slot[] = [];
  private readonly memo = new Map<number, PyValue>();
  private values = 0;
  private protocol = 0;
  private pos: number;

  constructor(
    private readonly buf: Uint8Array,
    start: number,
    private readonly persistentLoad: PersistentLoad,
    private readonly limits: ConvertLimits,
  ) {
    this.pos = start;
  }

  run(): UnpickleResult {
    const buf = this.buf;
    for (;;) {
      const at = this.pos;
      if (at >= buf.length) throw this.error("the pickle ends without a STOP opcode", at);
      const op = buf[this.pos++] as number;
      switch (op) {
        case 0x28: // MARK
          this.push(MARK);
          break;
        case 0x2e: // STOP
          return { value: this.pop(at), end: this.pos };
        case 0x30: // POP (a MARK on top is popped too, as CPython does)
          if (this.stack.pop() === undefined) throw this.error("stack underflow", at);
          break;
        case 0x31: // POP_MARK
          this.popMark(at);
          break;
        case 0x32: // DUP
          this.push(this.top(at));
          break;
        case 0x49: // INT
          this.push(this.intLine(at, true));
          break;
        case 0x4c: // LONG
          this.push(this.intLine(at, false));
          break;
        case 0x4a: // BININT
          this.push(readI32(buf, this.arg(at, 4)));
          break;
        case 0x4b: // BININT1
          this.push(buf[this.arg(at, 1)] as number);
          break;
        case 0x4d: // BININT2
          this.push(readU16(buf, this.arg(at, 2)));
          break;
        case 0x8a: // LONG1
        case 0x8b: {
          // LONG4
          const n = op === 0x8a ? (buf[this.arg(at, 1)] as number) : this.length4(at);
          this.push(readLong(buf, this.arg(at, n), n));
          break;
        }
        case 0x46: {
          // FLOAT
          const text = this.line(at).trim();
          const value = Number(text);
          if (text === "" || (Number.isNaN(value) && !/^[+-]?nan$/i.test(text)))
            throw this.error("bad FLOAT", at);
          this.push({ kind: "float", value });
          break;
        }
        case 0x47: // BINFLOAT
          this.push({ kind: "float", value: readF64(buf, this.arg(at, 8)) });
          break;
        case 0x4e: // NONE
          this.push(null);
          break;
        case 0x88: // NEWTRUE
          this.push(true);
          break;
        case 0x89: // NEWFALSE
          this.push(false);
          break;
        case 0x53: {
          // STRING: a Python 2 str, decoded as torch.load decodes them (utf-8)
          const text = this.line(at).trim();
          const quote = text[0];
          if (text.length < 2 || (quote !== "'" && quote !== '"') || text[text.length - 1] !== quote) {
            throw this.error("STRING argument is not quoted", at);
          }
          this.push(this.decodeLatin1AsUtf8(decodeEscapedString(text.slice(1, -1)), at));
          break;
        }
        case 0x54: // BINSTRING
        case 0x55: // SHORT_BINSTRING
        case 0x8c: // SHORT_BINUNICODE
        case 0x58: // BINUNICODE
        case 0x8d: // BINUNICODE8
          this.push(this.utf8(this.take(at, this.length(op, at)), at));
          break;
        case 0x56: // UNICODE
          this.push(decodeRawUnicodeEscape(this.line(at)));
          break;
        case 0x43: // SHORT_BINBYTES
        case 0x42: // BINBYTES
        case 0x8e: // BINBYTES8
        case 0x96: // BYTEARRAY8
          this.push(this.bytesValue(this.take(at, this.length(op, at))));
          break;
        case 0x5d: // EMPTY_LIST
          this.push({ kind: "list", items: [] });
          break;
        case 0x29: // EMPTY_TUPLE
          this.push({ kind: "tuple", items: [] });
          break;
        case 0x7d: // EMPTY_DICT
          this.push(newDict());
          break;
        case 0x8f: // EMPTY_SET
          this.push({ kind: "set", items: [] });
          break;
        case 0x6c: // LIST
          this.push({ kind: "list", items: this.popMark(at) });
          break;
        case 0x74: // TUPLE
          this.push({ kind: "tuple", items: this.popMark(at) });
          break;
        case 0x91: // FROZENSET
          this.push({ kind: "set", items: this.popMark(at) });
          break;
        case 0x85: // TUPLE1
        case 0x86: // TUPLE2
        case 0x87: {
          // TUPLE3
          const n = op - 0x84;
          const items: PyValue[] = [];
          for (let i = 0; i < n; i++) items.unshift(this.pop(at));
          this.push({ kind: "tuple", items });
          break;
        }
        case 0x64: {
          // DICT
          const items = this.popMark(at);
          const dict = newDict();
          this.setItems(dict, items, at);
          this.push(dict);
          break;
        }
        case 0x61: {
          // APPEND
          const value = this.pop(at);
          this.appendTo(this.top(at), [value], at);
          break;
        }
        case 0x65: {
          // APPENDS
          const items = this.popMark(at);
          this.appendTo(this.top(at), items, at);
          break;
        }
        case 0x90: {
          // ADDITEMS
          const items = this.popMark(at);
          const target = this.top(at);
          if (target === null || typeof target !== "object" || target.kind !== "set") {
            throw this.error(`ADDITEMS on ${describeValue(target)}`, at);
          }
          this.count(items.length, at);
          target.items.push(...items);
          break;
        }
        case 0x73: {
          // SETITEM
          const value = this.pop(at);
          const key = this.pop(at);
          this.setItems(this.dictOnTop(at), [key, value], at);
          break;
        }
        case 0x75: {
          // SETITEMS
          const items = this.popMark(at);
          this.setItems(this.dictOnTop(at), items, at);
          break;
        }
        case 0x67: // GET
          this.push(this.memoGet(this.memoIndex(this.line(at), at), at));
          break;
        case 0x68: // BINGET
          this.push(this.memoGet(buf[this.arg(at, 1)] as number, at));
          break;
        case 0x6a: // LONG_BINGET
          this.push(this.memoGet(readU32(buf, this.arg(at, 4)), at));
          break;
        case 0x70: // PUT
          this.memoPut(this.memoIndex(this.line(at), at), at);
          break;
        case 0x71: // BINPUT
          this.memoPut(buf[this.arg(at, 1)] as number, at);
          break;
        case 0x72: // LONG_BINPUT
          this.memoPut(readU32(buf, this.arg(at, 4)), at);
          break;
        case 0x94: // MEMOIZE
          this.memoPut(this.memo.size, at);
          break;
        case 0x63: {
          // GLOBAL
          const module = this.name(at);
          const name = this.name(at);
          this.push(resolveGlobal(module, name, this.protocol));
          break;
        }
        case 0x93: {
          // STACK_GLOBAL
          const name = this.pop(at);
          const module = this.pop(at);
          if (typeof module !== "string" || typeof name !== "string") {
            throw this.error("STACK_GLOBAL needs two strings", at);
          }
          this.push(resolveGlobal(module, name, this.protocol));
          break;
        }
        case 0x52: {
          // REDUCE
          const args = this.pop(at);
          const callee = this.pop(at);
          this.count(1, at);
          this.push(callGlobal(callee, args));
          break;
        }
        case 0x62: {
          // BUILD: only the instance dict of an OrderedDict (`state_dict()._metadata`) is accepted
          const state = this.pop(at);
          const target = this.top(at);
          if (target === null || typeof target !== "object" || target.kind !== "dict") {
            throw new ConvertError(
              "convert/forbidden-call",
              `the checkpoint sets the state of ${describeValue(target)} (BUILD), which a tensor checkpoint does not do`,
            );
          }
          if (state !== null && (typeof state !== "object" || state.kind !== "dict")) {
            throw this.error(`BUILD of a dict with ${describeValue(state)}`, at);
          }
          break;
        }
        case 0x69: // INST
        case 0x6f: // OBJ
        case 0x81: // NEWOBJ
        case 0x92: // NEWOBJ_EX
          throw new ConvertError(
            "convert/forbidden-call",
            `the checkpoint creates an object with ${opName(op)}, which a tensor checkpoint does not do`,
          );
        case 0x82: // EXT1
        case 0x83: // EXT2
        case 0x84: // EXT4
          throw new ConvertError(
            "convert/forbidden-global",
            "the checkpoint imports through the extension registry (EXT opcodes), which a tensor checkpoint does not do",
          );
        case 0x97: // NEXT_BUFFER
        case 0x98: // READONLY_BUFFER
          throw new ConvertError(
            "convert/out-of-band-buffer",
            "the checkpoint uses out-of-band pickle buffers, which torch.load does not provide",
          );
        case 0x50: // PERSID
          this.count(1, at);
          this.push(this.persistentLoad(this.line(at)));
          break;
        case 0x51: // BINPERSID
          this.count(1, at);
          this.push(this.persistentLoad(this.pop(at)));
          break;
        case 0x80: {
          // PROTO
          const proto = buf[this.arg(at, 1)] as number;
          if (proto > HIGHEST_PROTOCOL) throw this.error(`unsupported pickle protocol ${proto}`, at);
          this.protocol = proto;
          break;
        }
        case 0x95: // FRAME: framing only groups opcodes
          this.arg(at, 8);
          break;
        default:
          throw this.error(`invalid opcode 0x${op.toString(16).padStart(2, "0")}`, at);
      }
    }
  }

  private push(value: Slot): void {
    if (this.stack.length >= this.limits.maxStackDepth) {
      throw this.error(`stack deeper than ${this.limits.maxStackDepth}`, this.pos);
    }
    this.count(1, this.pos);
    this.stack.push(value);
  }

  private count(n: number, at: number): void {
    this.values += n;
    if (this.values > this.limits.maxPickleValues) {
      throw new ConvertError(
        "convert/too-many-values",
        `the checkpoint pickle builds more than ${this.limits.maxPickleValues} values (at offset ${at})`,
      );
    }
  }

  private pop(at: number): PyValue {
    const value = this.stack.pop();
    if (value === undefined || value === MARK) throw this.error("stack underflow", at);
    return value;
  }

  private top(at: number): PyValue {
    const value = this.stack[this.stack.length - 1];
    if (value === undefined || value === MARK) throw this.error("stack underflow", at);
    return value;
  }

  /** Pops everything down to the last MARK, and the MARK itself. */
  private popMark(at: number): PyValue[] {
    const k = this.stack.lastIndexOf(MARK);
    if (k < 0) throw this.error("could not find MARK", at);
    const items = this.stack.splice(k) as PyValue[];
    items.shift();
    return items;
  }

  private dictOnTop(at: number): PyDict {
    const target = this.top(at);
    if (target === null || typeof target !== "object" || target.kind !== "dict") {
      throw this.error(`SETITEM on ${describeValue(target)}`, at);
    }
    return target;
  }

  private setItems(dict: PyDict, items: PyValue[], at: number): void {
    if (items.length % 2 !== 0) throw this.error("odd number of items for a dict", at);
    this.count(items.length / 2, at);
    for (let i = 0; i < items.length; i += 2) dictSet(dict, items[i] as PyValue, items[i + 1] as PyValue);
  }

  private appendTo(target: PyValue, items: PyValue[], at: number): void {
    if (target === null || typeof target !== "object" || target.kind !== "list") {
      throw this.error(`APPEND on ${describeValue(target)}`, at);
    }
    this.count(items.length, at);
    for (const item of items) target.items.push(item);
  }

  private memoPut(index: number, at: number): void {
    if (this.memo.size >= this.limits.maxPickleValues && !this.memo.has(index)) {
      throw this.error(`more than ${this.limits.maxPickleValues} memo entries`, at);
    }
    this.memo.set(index, this.top(at));
  }

  private memoGet(index: number, at: number): PyValue {
    const value = this.memo.get(index);
    if (value === undefined) throw this.error(`memo value not found at index ${index}`, at);
    return value;
  }

  private memoIndex(text: string, at: number): number {
    const parsed = parseIntText(text, false);
    if (!parsed.ok || parsed.big || parsed.value < 0) throw this.error("bad memo index", at);
    return parsed.value;
  }

  private intLine(at: number, isInt: boolean): PyValue {
    let text = this.line(at);
    if (isInt && text === "00") return false;
    if (isInt && text === "01") return true;
    if (!isInt && text.endsWith("L")) text = text.slice(0, -1);
    const parsed = parseIntText(text, isInt);
    if (!parsed.ok) throw this.error("INT/LONG argument is not an integer", at);
    if (!parsed.big) return parsed.value;
    if (!/^\s*[+-]?[0-9]+\s*$/.test(text)) throw this.error("integer too large", at);
    return BigInt(text.trim());
  }

  /** Where the next `n` argument bytes start; skips them. Throws when the pickle ends first. */
  private arg(at: number, n: number): number {
    if (n > this.buf.length - this.pos) throw this.error("the pickle ends in the middle of an opcode", at);
    const p = this.pos;
    this.pos += n;
    return p;
  }

  private take(at: number, n: number): Uint8Array {
    const p = this.arg(at, n);
    return this.buf.subarray(p, p + n);
  }

  /** A LONG4 or BINSTRING length: a signed 4-byte integer, negative ones refused as CPython does. */
  private length4(at: number): number {
    const n = readI32(this.buf, this.arg(at, 4));
    if (n < 0) throw this.error("negative length", at);
    return n;
  }

  /** The length header of a string or bytes opcode, read as `OPCODES` declares it (len1, len4u, len4s, len8). */
  private length(op: number, at: number): number {
    const buf = this.buf;
    switch (op) {
      case 0x55: // SHORT_BINSTRING
      case 0x8c: // SHORT_BINUNICODE
      case 0x43: // SHORT_BINBYTES
        return buf[this.arg(at, 1)] as number;
      case 0x54: // BINSTRING
        return this.length4(at);
      case 0x58: // BINUNICODE
      case 0x42: // BINBYTES
        return readU32(buf, this.arg(at, 4));
      default: {
        // BINUNICODE8, BINBYTES8, BYTEARRAY8
        const n = readU64(buf, this.arg(at, 8));
        if (n > buf.length) throw this.error("the pickle ends in the middle of an opcode", at);
        return n;
      }
    }
  }

  /** A text line (protocol-0 argument), as latin-1 as CPython reads INT, LONG, FLOAT, STRING and PERSID lines. */
  private line(at: number): string {
    const nl = lineEnd(this.buf, this.pos, this.buf.length, this.buf.length);
    if (nl === LINE_PENDING) throw this.error("the pickle ends in the middle of a text argument", at);
    const text = latin1(this.buf, this.pos, nl);
    this.pos = nl + 1;
    return text;
  }

  /** A GLOBAL module or name line: strict UTF-8, as CPython decodes it. */
  private name(at: number): string {
    const nl = lineEnd(this.buf, this.pos, this.buf.length, this.buf.length);
    if (nl === LINE_PENDING) throw this.error("the pickle ends in the middle of a text argument", at);
    const text = decodeUtf8(this.buf, this.pos, nl);
    if (text === undefined) throw this.error("a GLOBAL name is not valid UTF-8", at);
    this.pos = nl + 1;
    return text;
  }

  private utf8(bytes: Uint8Array, at: number): string {
    const text = decodeUtf8(bytes, 0, bytes.length);
    if (text === undefined) throw this.error("a string is not valid UTF-8", at);
    return text;
  }

  private decodeLatin1AsUtf8(text: string, at: number): string {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    return this.utf8(bytes, at);
  }

  private bytesValue(bytes: Uint8Array): PyValue {
    return { kind: "bytes", bytes: bytes.slice() };
  }

  private error(message: string, at: number): ConvertError {
    return new ConvertError(
      "convert/bad-pickle",
      `the checkpoint pickle is malformed at offset ${at}: ${message}`,
    );
  }
}

function opName(op: number): string {
  return op === 0x69 ? "INST" : op === 0x6f ? "OBJ" : op === 0x81 ? "NEWOBJ" : "NEWOBJ_EX";
}
