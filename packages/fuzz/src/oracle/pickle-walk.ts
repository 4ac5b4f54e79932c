/**
 * An independent, deliberately simple walk over pickle opcodes (in the manner of Python's
 * `pickletools.genops`): it knows each opcode's argument layout and nothing of the stack. The fuzz
 * harness uses it as an oracle that shares no code with the scanner's pickle engine, so a bug in the
 * engine cannot hide itself. Opcode table: CPython `Lib/pickletools.py`.
 */

/** How an opcode's argument is laid out after its code byte. */
type Arg = number | "line" | "line2" | "len1" | "len4" | "len8";

const ch = (s: string) => s.charCodeAt(0);

/** Argument layout per opcode; a fixed number is that many bytes. Every one of the 68 opcodes. */
// biome-ignore format: a packed table reads better than 68 lines
const ARGS = new Map<number, Arg>([
  [ch("I"), "line"], [ch("J"), 4], [ch("K"), 1], [ch("M"), 2], [ch("L"), "line"], [0x8a, "len1"],
  [0x8b, "len4"], [ch("S"), "line"], [ch("T"), "len4"], [ch("U"), "len1"], [ch("B"), "len4"],
  [ch("C"), "len1"], [0x8e, "len8"], [0x96, "len8"], [0x97, 0], [0x98, 0], [ch("N"), 0], [0x88, 0],
  [0x89, 0], [ch("V"), "line"], [0x8c, "len1"], [ch("X"), "len4"], [0x8d, "len8"], [ch("F"), "line"],
  [ch("G"), 8], [ch("]"), 0], [ch("a"), 0], [ch("e"), 0], [ch("l"), 0], [ch(")"), 0], [ch("t"), 0],
  [0x85, 0], [0x86, 0], [0x87, 0], [ch("}"), 0], [ch("d"), 0], [ch("s"), 0], [ch("u"), 0], [0x8f, 0],
  [0x90, 0], [0x91, 0], [ch("0"), 0], [ch("2"), 0], [ch("("), 0], [ch("1"), 0], [ch("g"), "line"],
  [ch("h"), 1], [ch("j"), 4], [ch("p"), "line"], [ch("q"), 1], [ch("r"), 4], [0x94, 0], [0x82, 1],
  [0x83, 2], [0x84, 4], [ch("c"), "line2"], [0x93, 0], [ch("R"), 0], [ch("b"), 0], [ch("i"), "line2"],
  [ch("o"), 0], [0x81, 0], [0x92, 0], [0x80, 1], [ch("."), 0], [0x95, 8], [ch("P"), "line"], [ch("Q"), 0],
]);

/** One decoded opcode. `text` holds a string argument (names of GLOBAL/INST, string constants). */
export interface WalkedOp {
  code: number;
  offset: number;
  /** Offset just past the opcode and its argument. */
  end: number;
  text?: string;
  /** Second line of GLOBAL and INST. */
  text2?: string;
  /** Integer argument (memo indexes, FRAME length, PROTO). */
  int?: number;
}

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder("utf-8", { fatal: false });
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 as Python's 'surrogatepass' reads it: encoded surrogates (ED A0..BF xx) are accepted too. */
function decodeUtf8SurrogatePass(raw: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(raw);
  } catch {
    if (!raw.includes(0xed)) return undefined;
    // Swap each encoded surrogate for a valid three-byte sequence of the same shape, then check again.
    const copy = raw.slice();
    for (let i = 0; i + 2 < copy.length; i++)
      if (copy[i] === 0xed && (copy[i + 1] ?? 0) >= 0xa0 && (copy[i + 1] ?? 0) <= 0xbf) copy[i] = 0xee;
    try {
      return strictUtf8.decode(copy);
    } catch {
      return undefined;
    }
  }
}

/** Reads the opcode at `pos`, or undefined where the stream breaks (unknown opcode, cut argument). */
export function readOp(bytes: Uint8Array, pos: number): WalkedOp | undefined {
  const code = bytes[pos];
  if (code === undefined) return undefined;
  const arg = ARGS.get(code);
  if (arg === undefined) return undefined;
  let at = pos + 1;
  const op: WalkedOp = { code, offset: pos, end: at };
  const line = (decoder: { decode(b: Uint8Array): string } = utf8): string | undefined => {
    const nl = bytes.indexOf(0x0a, at);
    if (nl < 0) return undefined;
    let text: string;
    try {
      text = decoder.decode(bytes.subarray(at, nl));
    } catch {
      return undefined; // GLOBAL and INST names must be UTF-8: CPython stops with UnicodeDecodeError
    }
    at = nl + 1;
    return text;
  };
  if (typeof arg === "number") {
    if (at + arg > bytes.length) return undefined;
    let v = 0;
    for (let i = arg - 1; i >= 0; i--) v = v * 256 + (bytes[at + i] ?? 0);
    if (arg > 0) op.int = v;
    at += arg;
  } else if (arg === "line") {
    const text = line();
    if (text === undefined) return undefined;
    op.text = text;
  } else if (arg === "line2") {
    const a = line(strictUtf8);
    const b = a === undefined ? undefined : line(strictUtf8);
    if (a === undefined || b === undefined) return undefined;
    op.text = a;
    op.text2 = b;
  } else {
    const width = arg === "len1" ? 1 : arg === "len4" ? 4 : 8;
    if (at + width > bytes.length) return undefined;
    let n = 0;
    for (let i = width - 1; i >= 0; i--) n = n * 256 + (bytes[at + i] ?? 0);
    at += width;
    if (at + n > bytes.length) return undefined;
    const raw = bytes.subarray(at, at + n);
    if (code === ch("U") || code === ch("T")) op.text = latin1.decode(raw);
    else {
      // SHORT_BINUNICODE, BINUNICODE and BINUNICODE8 decode with 'utf-8', 'surrogatepass' in both
      // unpicklers: anything else raises UnicodeDecodeError and the load stops.
      const text = decodeUtf8SurrogatePass(raw);
      if (text === undefined) return undefined;
      op.text = text;
    }
    at += n;
  }
  op.end = at;
  return op;
}
