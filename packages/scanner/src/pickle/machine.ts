import { FIXED_LIMITS, type Limits } from "../limits.js";
import { ImportsAndCalls } from "./imports-and-calls.js";
import { IssueLog } from "./issue-log.js";
import {
  decodeUtf8,
  FIXED_ARG_BYTES,
  LINE_TOO_LONG,
  lineEnd,
  readI32,
  readLongLE,
  readU32,
  readU64,
} from "./opcode-args.js";
import { HIGHEST_PROTOCOL } from "./opcodes.js";
import { MEMO_OK, MEMO_SPARSE_FULL, PickleMemo } from "./pickle-memo.js";
import { decodeEscapedString, decodeRawUnicodeEscape, latin1, parseIntText } from "./python-literals.js";
import type { LoaderUse, PartialUse, PickleCall, PickleImport, PickleIssue } from "./types.js";
import { BIGINT, BUFFER, FALSE, FLOAT, intCode, NONE, TAG_BYTES, TAG_STR, TRUE } from "./value-codes.js";
import { ValueStore } from "./values.js";

/** STOP reached; `pos` is just past it. */
export const STOPPED = 0;
/** Needs bytes from `resumeAt` (at least `minBytes` of them) before going on. */
export const NEED_MORE = 1;
/** The stream cannot go on (error recorded in `issues`). */
export const FAILED = 2;
/** Go on at `resumeAt` (a long payload was skipped). */
export const SKIP = 3;
/** A BUILD hook asked for raw data handling at `pos` (see `pendingRaw`). */
export const RAW = 4;
/** What `run` stopped for. */
export type Status = typeof STOPPED | typeof NEED_MORE | typeof FAILED | typeof SKIP | typeof RAW;

/**
 * Called on BUILD of an instance; returns raw bytes that follow the opcode and are read by the
 * loader itself (joblib's inline numpy arrays), or `nested` when a whole pickle follows.
 */
export type BuildHook = (
  values: ValueStore,
  instance: number,
  state: number,
) => RawData | { error: string } | undefined;

/** Raw data the loader reads itself right after a BUILD. */
export interface RawData {
  /** Bytes of data (after the padding, when there is one). */
  skip: number;
  /** A one-byte padding length (then that many bytes) comes first (joblib >= 1.2 alignment). */
  paddingByte?: boolean;
  /** A whole nested pickle follows instead of raw bytes (object arrays). */
  nested?: boolean;
}

/**
 * A symbolic pickle machine that follows a stream the way CPython's `_pickle` Unpickler does
 * (stack, mark stack with its fence, memo), recording every import and call instead of performing them.
 * It consumes a window of bytes at a time and says when it needs more, so memory stays bounded.
 * This file is the opcode switch and the stack; the parts it drives each have their own module:
 * argument reading (opcode-args.ts), the memo (pickle-memo.ts), import and call recording
 * (imports-and-calls.ts), issues (issue-log.ts) and the values themselves (values.ts, value-codes.ts).
 */
export class PickleMachine {
  readonly values: ValueStore;
  /** Imports and calls, recorded instead of performed (imports-and-calls.ts). */
  private readonly recorder: ImportsAndCalls;
  private readonly log = new IssueLog();

  private readonly maxStackDepth: number;
  private stack = new Int32Array(256);
  private sp = 0;
  private marks = new Int32Array(64);
  private mp = 0;
  private fence = 0;
  private readonly memo: PickleMemo;

  protocol: number | undefined;
  opcodes = 0;
  /** Absolute position of the next opcode. */
  pos: number;
  resumeAt = 0;
  minBytes = 0;
  /** Set when `run` returns RAW. */
  pendingRaw: RawData | undefined;
  /** Absolute end of the last FRAME read (0 before any): see `PickleAnalysis.frameEnd`. */
  frameEnd = 0;

  constructor(
    start: number,
    private readonly limits: Limits,
    private readonly onBuild?: BuildHook,
  ) {
    this.pos = start;
    this.values = new ValueStore(limits.maxStringArenaBytes, limits.maxKeptStringBytes);
    this.maxStackDepth = limits.maxStackDepth;
    this.memo = new PickleMemo(limits.maxMemoEntries);
    this.recorder = new ImportsAndCalls(this.values, this.log, limits.maxCallRecords);
  }

  /** Distinct imports, first occurrence first. */
  get imports(): PickleImport[] {
    return this.recorder.imports;
  }

  get issues(): PickleIssue[] {
    return this.log.issues;
  }

  /**
   * Runs opcodes from `this.pos`, using `buf` which holds the bytes at absolute offsets
   * `[base, base + buf.length)`. `atEof` says the window ends where the source ends.
   */
  run(buf: Uint8Array, base: number, atEof: boolean, sourceSize: number): Status {
    const limits = this.limits;
    const end = buf.length;
    const maxOps = limits.maxPickleOpcodes;
    let p = this.pos - base;
    const values = this.values;

    for (;;) {
      if (end - p < 9 && !atEof) return this.needMore(base + p, 9);
      if (p >= end) return this.fail("pickle/truncated", "the stream ends without a STOP opcode", base + p);
      if (++this.opcodes > maxOps) {
        return this.fail("pickle/too-many-opcodes", `more than ${maxOps} opcodes in one stream`, base + p);
      }
      const opStart = p;
      const op = buf[p++] as number;
      // Only at the end of the source can a fixed-size argument be cut short (the window otherwise
      // holds 9 bytes ahead), and reading past it would yield undefined, never a clean error.
      if (p + (FIXED_ARG_BYTES[op] as number) > end) return this.truncated(base + opStart);
      switch (op) {
        // ---- Stack and memo -----------------------------------------------------------------
        case 0x28: // MARK
          if (this.mp >= limits.maxMarkDepth) {
            return this.fail(
              "pickle/too-many-marks",
              `MARK nesting deeper than ${limits.maxMarkDepth}`,
              base + opStart,
            );
          }
          if (this.mp === this.marks.length) this.marks = growInt32(this.marks);
          this.marks[this.mp++] = this.sp;
          this.fence = this.sp;
          break;
        case 0x2e: {
          // STOP
          if (this.sp <= this.fence) return this.underflow(base + opStart);
          this.sp--;
          this.pos = base + p;
          return STOPPED;
        }
        case 0x30: // POP
          if (this.mp > 0 && this.marks[this.mp - 1] === this.sp) this.dropMark();
          else if (this.sp <= this.fence) return this.underflow(base + opStart);
          else this.sp--;
          break;
        case 0x31: {
          // POP_MARK
          const k = this.popMark();
          if (k < 0) return this.noMark(base + opStart);
          this.sp = k;
          break;
        }
        case 0x32: // DUP
          if (this.sp <= this.fence) return this.underflow(base + opStart);
          if (!this.push(this.stack[this.sp - 1] as number)) return this.stackLimit(base + opStart);
          if (this.recorder.tracked > 0) this.recorder.countReference(this.stack[this.sp - 1] as number);
          break;
        case 0x94: // MEMOIZE
          if (this.sp <= this.fence) return this.underflow(base + opStart);
          if (!this.memoPut(this.memo.count, base + opStart)) return FAILED;
          break;
        case 0x71: // BINPUT
          if (this.sp <= this.fence) return this.underflow(base + opStart);
          if (!this.memoPut(buf[p++] as number, base + opStart)) return FAILED;
          break;
        case 0x72: {
          // LONG_BINPUT
          if (this.sp <= this.fence) return this.underflow(base + opStart);
          if (p + 4 > end) return this.truncated(base + opStart);
          const idx = readU32(buf, p);
          p += 4;
          if (!this.memoPut(idx, base + opStart)) return FAILED;
          break;
        }
        case 0x68: // BINGET
          if (!this.memoGet(buf[p++] as number, base + opStart)) return FAILED;
          break;
        case 0x6a: {
          // LONG_BINGET
          if (p + 4 > end) return this.truncated(base + opStart);
          const idx = readU32(buf, p);
          p += 4;
          if (!this.memoGet(idx, base + opStart)) return FAILED;
          break;
        }
        case 0x67: // GET
        case 0x70: {
          // PUT
          const nl = lineEnd(buf, p, end, limits.maxLineBytes);
          if (nl < 0) return this.lineMissing(nl, base, opStart, end, atEof);
          const parsed = parseIntText(latin1(buf, p, nl), false);
          p = nl + 1;
          if (!parsed.ok || parsed.big || parsed.value < 0) {
            return this.fail(
              "pickle/bad-memo-index",
              "GET/PUT argument is not a valid memo index",
              base + opStart,
            );
          }
          if (op === 0x67) {
            if (!this.memoGet(parsed.value, base + opStart)) return FAILED;
          } else {
            if (this.sp <= this.fence) return this.underflow(base + opStart);
            if (!this.memoPut(parsed.value, base + opStart)) return FAILED;
          }
          break;
        }

        // ---- Numbers and constants ----------------------------------------------------------
        case 0x4a: // BININT
          if (p + 4 > end) return this.truncated(base + opStart);
          if (!this.push(intCode(readI32(buf, p)))) return this.stackLimit(base + opStart);
          p += 4;
          break;
        case 0x4b: // BININT1
          if (!this.push(intCode(buf[p++] as number))) return this.stackLimit(base + opStart);
          break;
        case 0x4d: // BININT2
          if (p + 2 > end) return this.truncated(base + opStart);
          if (!this.push(intCode((buf[p] as number) | ((buf[p + 1] as number) << 8)))) {
            return this.stackLimit(base + opStart);
          }
          p += 2;
          break;
        case 0x47: // BINFLOAT
          if (p + 8 > end) return this.truncated(base + opStart);
          p += 8;
          if (!this.push(FLOAT)) return this.stackLimit(base + opStart);
          break;
        case 0x4e: // NONE
          if (!this.push(NONE)) return this.stackLimit(base + opStart);
          break;
        case 0x88: // NEWTRUE
          if (!this.push(TRUE)) return this.stackLimit(base + opStart);
          break;
        case 0x89: // NEWFALSE
          if (!this.push(FALSE)) return this.stackLimit(base + opStart);
          break;
        case 0x8a: // LONG1
        case 0x8b: {
          // LONG4
          const hdr = op === 0x8a ? 1 : 4;
          if (p + hdr > end) return this.truncated(base + opStart);
          const n = op === 0x8a ? (buf[p] as number) : readI32(buf, p);
          if (n < 0)
            return this.fail("pickle/negative-length", "LONG4 has a negative byte count", base + opStart);
          if (opStart + 1 + hdr + n > end) {
            const r = this.payloadMissing(base, opStart, 1 + hdr + n, atEof, sourceSize, 0);
            if (r !== undefined) return r;
            if (!this.push(BIGINT)) return this.stackLimit(base + opStart);
            this.pos = this.resumeAt;
            return SKIP;
          }
          p += hdr;
          if (!this.push(n <= 6 ? intCode(readLongLE(buf, p, n)) : BIGINT))
            return this.stackLimit(base + opStart);
          p += n;
          break;
        }
        case 0x49: // INT
        case 0x4c: // LONG
        case 0x46: {
          // FLOAT
          const nl = lineEnd(buf, p, end, limits.maxLineBytes);
          if (nl < 0) return this.lineMissing(nl, base, opStart, end, atEof);
          const text = latin1(buf, p, nl);
          p = nl + 1;
          let code = FLOAT;
          if (op !== 0x46) {
            if (op === 0x49 && (text === "00" || text === "01")) code = text === "01" ? TRUE : FALSE;
            else {
              const parsed = parseIntText(op === 0x4c ? text.replace(/L$/, "") : text, true);
              if (!parsed.ok)
                return this.fail("pickle/bad-int", "INT/LONG argument is not an integer", base + opStart);
              code = parsed.big ? BIGINT : intCode(parsed.value);
            }
          } else if (!/^\s*[-+]?(\d|\.\d|inf|nan)/i.test(text)) {
            return this.fail("pickle/bad-float", "FLOAT argument is not a number", base + opStart);
          }
          if (!this.push(code)) return this.stackLimit(base + opStart);
          break;
        }

        // ---- Strings and bytes ----------------------------------------------------------------
        case 0x8c: // SHORT_BINUNICODE
        case 0x55: // SHORT_BINSTRING
        case 0x43: {
          // SHORT_BINBYTES
          const n = buf[p] as number;
          if (p + 1 + n > end) {
            if (atEof) return this.truncated(base + opStart);
            return this.retry(base + opStart, 2 + n);
          }
          const tag = op === 0x43 ? TAG_BYTES : TAG_STR;
          if (!this.push(values.addBytes(tag, buf, p + 1, n, base + p + 1, n)))
            return this.stackLimit(base + opStart);
          p += 1 + n;
          break;
        }
        case 0x58: // BINUNICODE
        case 0x42: // BINBYTES
        case 0x54: // BINSTRING
        case 0x8d: // BINUNICODE8
        case 0x8e: // BINBYTES8
        case 0x96: {
          // BYTEARRAY8
          const hdr = op === 0x58 || op === 0x42 || op === 0x54 ? 4 : 8;
          if (p + hdr > end) return this.truncated(base + opStart);
          let n: number;
          if (hdr === 4) {
            n = op === 0x54 ? readI32(buf, p) : readU32(buf, p);
            if (n < 0)
              return this.fail(
                "pickle/negative-length",
                "BINSTRING has a negative byte count",
                base + opStart,
              );
          } else {
            n = readU64(buf, p);
            if (!Number.isSafeInteger(n)) {
              return this.fail(
                "pickle/length-overflow",
                "8-byte length larger than any file",
                base + opStart,
              );
            }
          }
          const tag = op === 0x58 || op === 0x8d || op === 0x54 ? TAG_STR : TAG_BYTES;
          const payload = p + hdr;
          if (payload + n > end) {
            const r = this.payloadMissing(
              base,
              opStart,
              1 + hdr + n,
              atEof,
              sourceSize,
              limits.maxKeptStringBytes,
            );
            if (r !== undefined) return r;
            // Too long to keep: remember a prefix and skip the rest without reading it. The prefix
            // must not depend on where the window happened to end.
            const prefix = values.prefixBytes;
            if (end - payload < prefix) return this.retry(base + opStart, 1 + hdr + prefix);
            const code = values.addPrefix(tag, buf, payload, end - payload, base + payload, n);
            if (!this.push(code)) return this.stackLimit(base + opStart);
            this.pos = this.resumeAt;
            return SKIP;
          }
          const code =
            n <= limits.maxKeptStringBytes
              ? values.addBytes(tag, buf, payload, n, base + payload, n)
              : values.addPrefix(tag, buf, payload, n, base + payload, n);
          if (!this.push(code)) return this.stackLimit(base + opStart);
          p = payload + n;
          break;
        }
        case 0x53: // STRING
        case 0x56: {
          // UNICODE
          const nl = lineEnd(buf, p, end, limits.maxLineBytes);
          if (nl < 0) return this.lineMissing(nl, base, opStart, end, atEof);
          const raw = latin1(buf, p, nl);
          p = nl + 1;
          let text: string;
          if (op === 0x53) {
            const q = raw[0];
            if (raw.length < 2 || (q !== "'" && q !== '"') || raw[raw.length - 1] !== q) {
              return this.fail(
                "pickle/unquoted-string",
                "the STRING opcode argument must be quoted",
                base + opStart,
              );
            }
            text = decodeEscapedString(raw.slice(1, -1));
          } else {
            text = decodeRawUnicodeEscape(raw);
          }
          if (!this.push(values.addText(text, base + opStart + 1))) return this.stackLimit(base + opStart);
          break;
        }
        case 0x97: // NEXT_BUFFER
          this.issue(
            "pickle/out-of-band-buffer",
            "suspicious",
            "uses an out-of-band buffer (NEXT_BUFFER)",
            base + opStart,
          );
          if (!this.push(BUFFER)) return this.stackLimit(base + opStart);
          break;
        case 0x98: // READONLY_BUFFER
          if (this.sp <= this.fence) return this.underflow(base + opStart);
          break;

        // ---- Containers -------------------------------------------------------------------------
        case 0x5d: // EMPTY_LIST
        case 0x7d: // EMPTY_DICT
        case 0x8f: // EMPTY_SET
        case 0x29: {
          // EMPTY_TUPLE
          const kind = op === 0x5d ? "list" : op === 0x7d ? "dict" : op === 0x8f ? "set" : "tuple";
          if (!this.push(values.container(kind, this.stack, 0, 0))) return this.stackLimit(base + opStart);
          break;
        }
        case 0x6c: // LIST
        case 0x74: // TUPLE
        case 0x91: // FROZENSET
        case 0x64: {
          // DICT
          const k = this.popMark();
          if (k < 0) return this.noMark(base + opStart);
          if (op === 0x64 && (this.sp - k) % 2 !== 0) {
            return this.fail("pickle/odd-dict", "odd number of items for DICT", base + opStart);
          }
          const kind = op === 0x6c ? "list" : op === 0x74 ? "tuple" : op === 0x91 ? "frozenset" : "dict";
          const code = values.container(kind, this.stack, k, this.sp);
          this.sp = k;
          if (!this.push(code)) return this.stackLimit(base + opStart);
          break;
        }
        case 0x85: // TUPLE1
        case 0x86: // TUPLE2
        case 0x87: {
          // TUPLE3
          const n = op - 0x84;
          if (this.sp - n < this.fence) return this.underflow(base + opStart);
          const code = values.container("tuple", this.stack, this.sp - n, this.sp);
          this.sp -= n;
          this.stack[this.sp++] = code;
          break;
        }
        case 0x61: // APPEND
          if (this.sp - 1 <= this.fence) return this.underflow(base + opStart);
          this.mutate(this.sp - 2, this.sp - 1, this.sp, "append", base + opStart);
          this.sp--;
          break;
        case 0x73: // SETITEM
          if (this.sp - 2 <= this.fence) return this.underflow(base + opStart);
          this.mutate(this.sp - 3, this.sp - 2, this.sp, "__setitem__", base + opStart);
          this.sp -= 2;
          break;
        case 0x65: // APPENDS
        case 0x75: // SETITEMS
        case 0x90: {
          // ADDITEMS
          const k = this.popMark();
          if (k < 0) return this.noMark(base + opStart);
          // CPython's do_append/do_setitems/load_additems: the target must sit above the fence
          // that popping the mark restored, and an empty batch does nothing at all.
          if (k <= this.fence) return this.underflow(base + opStart);
          if (k === this.sp) break;
          if (op === 0x75 && (this.sp - k) % 2 !== 0) {
            return this.fail("pickle/odd-setitems", "odd number of items for SETITEMS", base + opStart);
          }
          const method = op === 0x65 ? "extend" : op === 0x75 ? "__setitem__" : "add";
          this.mutate(k - 1, k, this.sp, method, base + opStart);
          this.sp = k;
          break;
        }

        // ---- Imports and calls ------------------------------------------------------------------
        case 0x63: // GLOBAL
        case 0x69: {
          // INST
          const nl1 = lineEnd(buf, p, end, limits.maxLineBytes);
          if (nl1 < 0) return this.lineMissing(nl1, base, opStart, end, atEof);
          const nl2 = lineEnd(buf, nl1 + 1, end, limits.maxLineBytes);
          if (nl2 < 0) return this.lineMissing(nl2, base, opStart, end, atEof);
          let k = -1;
          if (op === 0x69) {
            k = this.popMark();
            if (k < 0) return this.noMark(base + opStart);
          }
          const module = decodeUtf8(buf, p, nl1);
          const name = decodeUtf8(buf, nl1 + 1, nl2);
          p = nl2 + 1;
          if (module === undefined || name === undefined) {
            return this.fail("pickle/bad-global-name", "GLOBAL/INST name is not valid UTF-8", base + opStart);
          }
          const cls = this.recorder.importGlobal(
            module,
            name,
            op === 0x63 ? "GLOBAL" : "INST",
            base + opStart,
          );
          if (cls === undefined) return this.stopAt(base + opStart);
          if (op === 0x63) {
            if (!this.push(cls)) return this.stackLimit(base + opStart);
          } else {
            const args = values.container("tuple", this.stack, k, this.sp);
            this.sp = k;
            if (!this.push(this.recorder.call(cls, args, "INST", base + opStart)))
              return this.stackLimit(base + opStart);
          }
          break;
        }
        case 0x93: {
          // STACK_GLOBAL
          if (this.sp - 2 < this.fence) return this.underflow(base + opStart);
          const nameCode = this.stack[--this.sp] as number;
          const moduleCode = this.stack[--this.sp] as number;
          const r = this.recorder.stackGlobal(moduleCode, nameCode, base + opStart);
          if (r === undefined) return this.stopAt(base + opStart);
          this.stack[this.sp++] = r;
          break;
        }
        case 0x82: // EXT1
        case 0x83: // EXT2
        case 0x84: {
          // EXT4
          const n = op === 0x82 ? 1 : op === 0x83 ? 2 : 4;
          if (p + n > end) return this.truncated(base + opStart);
          const code =
            n === 1
              ? (buf[p] as number)
              : n === 2
                ? (buf[p] as number) | ((buf[p + 1] as number) << 8)
                : readI32(buf, p);
          p += n;
          if (code <= 0) return this.fail("pickle/bad-extension", "EXT specifies code <= 0", base + opStart);
          this.issue(
            "pickle/extension-code",
            "suspicious",
            `EXT${n === 1 ? 1 : n === 2 ? 2 : 4} code ${code} imports whatever copyreg's extension registry maps it to at load time`,
            base + opStart,
          );
          const g = this.recorder.importGlobal(
            "copyreg._extension_registry",
            String(code),
            `EXT${n === 1 ? 1 : n === 2 ? 2 : 4}` as PickleImport["opcode"],
            base + opStart,
          );
          if (g === undefined) return this.stopAt(base + opStart);
          if (!this.push(g)) return this.stackLimit(base + opStart);
          break;
        }
        case 0x52: {
          // REDUCE
          if (this.sp - 2 < this.fence) return this.underflow(base + opStart);
          const args = this.stack[--this.sp] as number;
          const callee = this.stack[this.sp - 1] as number;
          this.stack[this.sp - 1] = this.recorder.call(callee, args, "REDUCE", base + opStart);
          break;
        }
        case 0x81: {
          // NEWOBJ
          if (this.sp - 2 < this.fence) return this.underflow(base + opStart);
          const args = this.stack[--this.sp] as number;
          const cls = this.stack[this.sp - 1] as number;
          this.stack[this.sp - 1] = this.recorder.call(cls, args, "NEWOBJ", base + opStart);
          break;
        }
        case 0x92: {
          // NEWOBJ_EX
          if (this.sp - 3 < this.fence) return this.underflow(base + opStart);
          this.sp--; // kwargs
          const args = this.stack[--this.sp] as number;
          const cls = this.stack[this.sp - 1] as number;
          this.stack[this.sp - 1] = this.recorder.call(cls, args, "NEWOBJ_EX", base + opStart);
          break;
        }
        case 0x6f: {
          // OBJ
          const k = this.popMark();
          if (k < 0) return this.noMark(base + opStart);
          if (this.sp - k < 1) return this.underflow(base + opStart);
          const cls = this.stack[k] as number;
          const args = values.container("tuple", this.stack, k + 1, this.sp);
          this.sp = k;
          this.stack[this.sp++] = this.recorder.call(cls, args, "OBJ", base + opStart);
          break;
        }
        case 0x62: {
          // BUILD
          if (this.sp - 2 < this.fence) return this.underflow(base + opStart);
          const state = this.stack[--this.sp] as number;
          const inst = this.stack[this.sp - 1] as number;
          const target = values.globalOf(inst);
          if (target) {
            this.issue(
              "pickle/build-on-import",
              "dangerous",
              `BUILD sets attributes on the imported object ${target.module}.${target.name}`,
              base + opStart,
            );
          }
          this.recorder.build(inst, state, base + opStart);
          if (this.onBuild) {
            const hook = this.onBuild(values, inst, state);
            if (hook) {
              if ("error" in hook) return this.fail("pickle/inline-data", hook.error, base + opStart);
              this.pendingRaw = hook;
              this.pos = base + p;
              return RAW;
            }
          }
          break;
        }
        case 0x50: {
          // PERSID
          const nl = lineEnd(buf, p, end, limits.maxLineBytes);
          if (nl < 0) return this.lineMissing(nl, base, opStart, end, atEof);
          const pid = values.addText(latin1(buf, p, nl), base + p);
          p = nl + 1;
          if (!this.push(values.persistent(pid))) return this.stackLimit(base + opStart);
          break;
        }
        case 0x51: {
          // BINPERSID
          if (this.sp <= this.fence) return this.underflow(base + opStart);
          this.stack[this.sp - 1] = values.persistent(this.stack[this.sp - 1] as number);
          break;
        }

        // ---- Framing and protocol ---------------------------------------------------------------
        case 0x80: {
          // PROTO
          const proto = buf[p++] as number;
          if (proto > HIGHEST_PROTOCOL) {
            return this.fail(
              "pickle/unsupported-protocol",
              `unsupported pickle protocol: ${proto}`,
              base + opStart,
            );
          }
          this.protocol = Math.max(this.protocol ?? 0, proto);
          break;
        }
        case 0x95: {
          // FRAME
          if (p + 8 > end) return this.truncated(base + opStart);
          const len = readU64(buf, p);
          p += 8;
          if (!Number.isSafeInteger(len) || base + p + len > sourceSize) {
            // The C unpickler stops here; Python's (joblib's) reads what is left as the frame and
            // goes on, so the analysis goes on too: the error stays, and so does what follows.
            this.issue(
              "pickle/frame-overflow",
              "error",
              "FRAME is longer than the rest of the file (the C unpickler stops here, Python's reads on)",
              base + opStart,
            );
            this.frameEnd = sourceSize;
            break;
          }
          this.frameEnd = base + p + len;
          break;
        }
        default:
          this.opcodes--;
          return this.fail(
            "pickle/unknown-opcode",
            `unknown opcode 0x${op.toString(16).padStart(2, "0")} (the loader stops here with an error)`,
            base + opStart,
          );
      }
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private push(code: number): boolean {
    if (this.sp >= this.maxStackDepth) return false;
    if (this.sp === this.stack.length) this.stack = growInt32(this.stack);
    this.stack[this.sp++] = code;
    return true;
  }

  private popMark(): number {
    if (this.mp === 0) return -1;
    const k = this.marks[--this.mp] as number;
    this.fence = this.mp > 0 ? (this.marks[this.mp - 1] as number) : 0;
    return k;
  }

  private dropMark(): void {
    this.mp--;
    this.fence = this.mp > 0 ? (this.marks[this.mp - 1] as number) : 0;
  }

  private memoPut(idx: number, offset: number): boolean {
    const r = this.memo.put(idx, this.stack[this.sp - 1] as number);
    if (r === MEMO_OK) return true;
    if (r === MEMO_SPARSE_FULL) {
      this.fail(
        "pickle/memo-limit",
        `more than ${FIXED_LIMITS.maxSparseMemoEntries} memo entries at scattered indices`,
        offset,
      );
    } else this.fail("pickle/memo-limit", `more than ${this.limits.maxMemoEntries} memo entries`, offset);
    return false;
  }

  private memoGet(idx: number, offset: number): boolean {
    const value = this.memo.get(idx);
    if (value === 0) {
      this.fail("pickle/memo-missing", `memo value not found at index ${idx}`, offset);
      return false;
    }
    if (!this.push(value)) {
      this.stackLimit(offset);
      return false;
    }
    if (this.recorder.tracked > 0) this.recorder.countReference(value);
    return true;
  }

  /** How the stream used `functools.partial`. */
  partialUses(): PartialUse[] {
    return this.recorder.partialUses();
  }

  /** How the stream used the loaders it imports. */
  loaderUses(): LoaderUse[] {
    return this.recorder.loaderUses();
  }

  /** The calls, rendered. */
  calls(): PickleCall[] {
    return this.recorder.calls();
  }

  /** APPEND/SETITEM/ADDITEMS: fills tracked containers; on an imported object it is a method call. */
  private mutate(targetIndex: number, from: number, to: number, method: string, offset: number): void {
    const target = this.stack[targetIndex] as number;
    const obj = this.values.globalOf(target);
    if (obj) {
      this.issue(
        "pickle/mutates-import",
        "dangerous",
        `calls ${method} on the imported object ${obj.module}.${obj.name}, changing it for the whole process`,
        offset,
      );
      return;
    }
    this.values.extend(target, this.stack, from, to);
  }

  issue(rule: string, severity: PickleIssue["severity"], message: string, offset: number): void {
    this.log.add(rule, severity, message, offset);
  }

  fail(rule: string, message: string, offset: number): typeof FAILED {
    this.issue(rule, "error", message, offset);
    this.pos = offset;
    return FAILED;
  }

  /** Stops the stream at `offset` after an error the recorder logged. */
  private stopAt(offset: number): typeof FAILED {
    this.pos = offset;
    return FAILED;
  }

  private needMore(at: number, minBytes: number): typeof NEED_MORE {
    this.pos = at;
    this.resumeAt = at;
    this.minBytes = minBytes;
    return NEED_MORE;
  }

  /** The opcode at `at` runs past the window: it is run again, whole, once more bytes are read. */
  private retry(at: number, minBytes: number): typeof NEED_MORE {
    this.opcodes--;
    return this.needMore(at, minBytes);
  }

  private truncated(offset: number): typeof FAILED {
    return this.fail("pickle/truncated", "the stream ends in the middle of an opcode", offset);
  }

  private underflow(offset: number): typeof FAILED {
    return this.fail("pickle/stack-underflow", "the opcode needs more values than the stack holds", offset);
  }

  private noMark(offset: number): typeof FAILED {
    return this.fail("pickle/no-mark", "could not find MARK", offset);
  }

  private stackLimit(offset: number): typeof FAILED {
    return this.fail("pickle/stack-limit", `stack deeper than ${this.limits.maxStackDepth}`, offset);
  }

  private lineMissing(why: number, base: number, opStart: number, end: number, atEof: boolean): Status {
    if (why === LINE_TOO_LONG) {
      return this.fail(
        "pickle/line-too-long",
        `text argument longer than ${this.limits.maxLineBytes} bytes`,
        base + opStart,
      );
    }
    if (atEof) return this.truncated(base + opStart);
    // GLOBAL and INST have two lines: room for both, then the newlines and the opcode.
    return this.retry(base + opStart, Math.min(2 * this.limits.maxLineBytes + 3, (end - opStart) * 2 + 64));
  }

  /**
   * A payload runs past the window. Returns a status when the machine must stop (truncation, or a
   * short payload to re-read whole), or undefined after arranging to skip a long payload.
   */
  private payloadMissing(
    base: number,
    opStart: number,
    total: number,
    atEof: boolean,
    sourceSize: number,
    keep: number,
  ): Status | undefined {
    if (atEof || base + opStart + total > sourceSize) return this.truncated(base + opStart);
    if (total <= keep + 16) return this.retry(base + opStart, total);
    this.resumeAt = base + opStart + total;
    return undefined;
  }

  /** String constants for the secrets check. */
  strings(): { value: string; offset: number }[] {
    return this.values
      .strings(FIXED_LIMITS.minSecretStringBytes, FIXED_LIMITS.maxSecretStrings)
      .map(({ value, offset }) => ({ value, offset }));
  }
}

function growInt32(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
