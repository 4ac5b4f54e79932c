import { readOp, type WalkedOp } from "./pickle-walk.js";
import { StackDepth } from "./stack-effect.js";

/**
 * Imports that run code, processes or network access when a real unpickler resolves and calls
 * them. Deliberately short and independent of the scanner's policy: the oracle must be obviously right.
 */
const DANGEROUS_MODULES = new Set([
  "subprocess",
  "runpy",
  "socket",
  "webbrowser",
  "pty",
  "ctypes",
  "commands",
]);
const DANGEROUS_NAMES = new Map<string, ReadonlySet<string>>([
  [
    "os",
    new Set(["system", "popen", "execv", "execve", "execl", "spawnv", "posix_spawn", "remove", "unlink"]),
  ],
  ["posix", new Set(["system", "popen", "execv", "execve", "posix_spawn", "remove", "unlink"])],
  ["nt", new Set(["system", "popen", "execv", "spawnv", "remove", "unlink"])],
  ["builtins", new Set(["eval", "exec", "compile", "__import__", "open", "getattr"])],
  ["__builtin__", new Set(["eval", "exec", "compile", "__import__", "open", "getattr"])],
  ["importlib", new Set(["import_module"])],
]);

export function isPayloadImport(module: string, name: string): boolean {
  return DANGEROUS_MODULES.has(module) || DANGEROUS_NAMES.get(module)?.has(name) === true;
}

/** A dangerous import a real unpickler would reach, where the walk found it. */
export interface PayloadImport {
  module: string;
  name: string;
  offset: number;
  /** Reached only by starting the next stream at the end of the FRAME its STOP was in (issue 13 item 2). */
  afterFrameStop?: true;
}

const STRING_PUSHES = new Set([0x8c, 0x58, 0x8d, 0x56, 0x55, 0x54, 0x53]); // SHORT_BINUNICODE X BINUNICODE8 V U T S
const MEMO_PUTS = new Set([0x70, 0x71, 0x72, 0x94]); // p q r MEMOIZE
const MEMO_GETS = new Set([0x67, 0x68, 0x6a]); // g h j
const STOP = 0x2e;
const FRAME = 0x95;
const STRING = 0x53;
const PROTO = 0x80;
const HIGHEST_PROTOCOL = 5;
const MAX_STREAMS = 32;
/**
 * What `__import__` and `getattr` can resolve: a dotted Python identifier (Unicode letters too, as
 * Python's own). Any other module or attribute name makes the import raise, so the load stops there.
 */
const DOTTED_NAME =
  /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*(\.[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*)*$/u;

/**
 * The first dangerous import (GLOBAL, INST, or STACK_GLOBAL fed by two literal strings) that a real
 * unpickler would reach before the stream breaks, in the pickle at offset 0 and in every pickle that
 * follows it back to back. After a STOP inside a FRAME the next stream is tried both at the next byte
 * and at the frame's end, as CPython's two unpicklers disagree there. Undefined when there is none.
 */
export function payloadBeforeBreak(bytes: Uint8Array): PayloadImport | undefined {
  const starts: Start[] = [{ at: 0, afterFrameStop: false }];
  const tried = new Set<number>();
  while (starts.length > 0 && tried.size < MAX_STREAMS) {
    const start = starts.pop() as Start;
    if (tried.has(start.at) || start.at >= bytes.length) continue;
    tried.add(start.at);
    const found = walkStream(bytes, start, starts);
    if (found) return found;
  }
  return undefined;
}

/** Where a stream starts, and whether only a reader that skips to a frame's end after STOP gets there. */
interface Start {
  at: number;
  afterFrameStop: boolean;
}

/** Walks one stream; queues where the next stream could start when it ends with STOP. */
function walkStream(bytes: Uint8Array, start: Start, next: Start[]): PayloadImport | undefined {
  const memo = new Map<number, string>();
  // The last two values pushed, when they are string constants (what STACK_GLOBAL pops).
  let recent: (string | undefined)[] = [];
  let frameEnd = -1;
  const memoKeys = new Set<number>();
  const depth = new StackDepth();
  const found = (module: string, name: string, offset: number): PayloadImport =>
    start.afterFrameStop ? { module, name, offset, afterFrameStop: true } : { module, name, offset };
  for (let pos = start.at; ; ) {
    const op: WalkedOp | undefined = readOp(bytes, pos);
    if (op === undefined) return undefined;
    pos = op.end;
    const { code } = op;
    // GLOBAL and INST import before they touch the stack; everything else must fit the stack first.
    const imports = code === 0x63 || code === 0x69;
    if (!imports && !depth.apply(code)) return undefined;
    if (MEMO_GETS.has(code) && !memoKeys.has(op.int ?? Number(op.text))) return undefined;
    if (code === PROTO && (op.int ?? 0) > HIGHEST_PROTOCOL) return undefined; // "unsupported pickle protocol"
    if (code === STRING && !isQuoted(op.text ?? "")) return undefined; // "the STRING opcode argument must be quoted"
    if (NUMBER_LINES.get(code)?.test(op.text ?? "") === false) return undefined; // int()/float() raise ValueError
    if (code === FRAME) {
      frameEnd = op.end + (op.int ?? 0);
      continue;
    }
    if (code === STOP) {
      next.push({ at: op.end, afterFrameStop: start.afterFrameStop });
      if (frameEnd > op.end) next.push({ at: frameEnd, afterFrameStop: true });
      return undefined;
    }
    if (code === 0x69 && !depth.hasMark()) return undefined; // INST looks for its mark before importing
    // A module or attribute name that is not a dotted identifier cannot be resolved: the loader stops there.
    if (imports && !(DOTTED_NAME.test(op.text ?? "") && DOTTED_NAME.test(op.text2 ?? ""))) return undefined;
    if (imports && op.text !== undefined && op.text2 !== undefined) {
      if (isPayloadImport(op.text, op.text2)) return found(op.text, op.text2, op.offset);
      if (!depth.apply(code)) return undefined;
      recent = [];
      continue;
    }
    if (code === 0x93) {
      const [module, name] = recent.slice(-2);
      // Known names that cannot resolve stop the load; names the stream computed may be anything.
      if (
        (module !== undefined && !DOTTED_NAME.test(module)) ||
        (name !== undefined && !DOTTED_NAME.test(name))
      )
        return undefined;
      if (module !== undefined && name !== undefined && isPayloadImport(module, name))
        return found(module, name, op.offset);
      recent = [];
      continue;
    }
    if (MEMO_PUTS.has(code)) {
      // MEMOIZE stores at len(memo), as CPython does.
      const index = code === 0x94 ? memoKeys.size : (op.int ?? Number(op.text));
      memoKeys.add(index);
      const top = recent.at(-1);
      if (top !== undefined) memo.set(index, top);
      else memo.delete(index);
      continue;
    }
    if (MEMO_GETS.has(code)) {
      recent.push(memo.get(op.int ?? Number(op.text)));
    } else if (STRING_PUSHES.has(code) && op.text !== undefined) {
      recent.push(code === STRING ? unquote(op.text) : op.text);
    } else {
      recent.push(undefined);
    }
    if (recent.length > 2) recent = recent.slice(-2);
  }
}

/**
 * What INT, LONG and FLOAT accept on their line (CPython parses it with int(s, 0) or float(s)); any
 * other text raises ValueError and the load stops. Loose on purpose: accepting too much can only make
 * the oracle see a payload the loader never reaches (a false alarm to look at), never miss one.
 */
const NUMBER_LINES = new Map<number, RegExp>([
  [0x49, /^\s*[+-]?[0-9][0-9a-fA-FxXoObB_]*\s*$/], // I
  [0x4c, /^\s*[+-]?[0-9][0-9a-fA-FxXoObB_]*L?\s*$/], // L
  [0x46, /^\s*[+-]?([0-9_]*\.?[0-9_]*([eE][+-]?[0-9_]+)?|inf(inity)?|nan)\s*$/i], // F
]);

/** STRING's argument is a quoted Python literal, 'os' or "os" (trailing white space is ignored). */
function isQuoted(text: string): boolean {
  const t = text.trimEnd();
  const q = t[0];
  return t.length >= 2 && (q === "'" || q === '"') && t.endsWith(q);
}

function unquote(text: string): string {
  return text.trimEnd().slice(1, -1);
}
