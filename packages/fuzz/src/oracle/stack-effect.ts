/**
 * How each opcode changes the unpickler's stack, in the terms of CPython's `_pickle.c`: items popped
 * above the top mark, items pushed, and whether it consumes everything down to the top mark. Enough
 * for the oracle to stop where a real unpickler stops with "stack underflow" or "could not find
 * MARK", without modelling values.
 */
export interface StackEffect {
  pop: number;
  push: number;
  /** Pops everything above the top mark, and the mark. */
  toMark?: boolean;
  /** After `toMark`, needs this many items below the mark (APPENDS needs its list). */
  below?: number;
  /** With `toMark`, needs at least this many items above the mark (OBJ needs its class). */
  above?: number;
}

const ch = (s: string) => s.charCodeAt(0);
const fx = (pop: number, push: number, extra: Partial<StackEffect> = {}): StackEffect => ({
  pop,
  push,
  ...extra,
});

const PUSH_ONE = [
  "I",
  "J",
  "K",
  "M",
  "L",
  "S",
  "T",
  "U",
  "B",
  "C",
  "N",
  "V",
  "X",
  "F",
  "G",
  "]",
  ")",
  "}",
  "g",
  "h",
  "j",
  "c",
  "P",
].map(ch);
const PUSH_ONE_BYTES = [0x8a, 0x8b, 0x8e, 0x96, 0x88, 0x89, 0x8c, 0x8d, 0x8f];

const TABLE = new Map<number, StackEffect>([
  ...PUSH_ONE.map((c): [number, StackEffect] => [c, fx(0, 1)]),
  ...PUSH_ONE_BYTES.map((c): [number, StackEffect] => [c, fx(0, 1)]),
  [0x98, fx(1, 1)],
  [ch("a"), fx(2, 1)],
  [ch("e"), fx(0, 0, { toMark: true, below: 1 })],
  [ch("l"), fx(0, 1, { toMark: true })],
  [ch("t"), fx(0, 1, { toMark: true })],
  [0x85, fx(1, 1)],
  [0x86, fx(2, 1)],
  [0x87, fx(3, 1)],
  [ch("d"), fx(0, 1, { toMark: true })],
  [ch("s"), fx(3, 1)],
  [ch("u"), fx(0, 0, { toMark: true, below: 1 })],
  [0x90, fx(0, 0, { toMark: true, below: 1 })],
  [0x91, fx(0, 1, { toMark: true })],
  [ch("0"), fx(1, 0)],
  [ch("2"), fx(1, 2)],
  [ch("1"), fx(0, 0, { toMark: true })],
  [ch("p"), fx(1, 1)],
  [ch("q"), fx(1, 1)],
  [ch("r"), fx(1, 1)],
  [0x94, fx(1, 1)],
  [0x93, fx(2, 1)],
  [ch("R"), fx(2, 1)],
  [ch("b"), fx(2, 1)],
  [ch("i"), fx(0, 1, { toMark: true })],
  [ch("o"), fx(0, 1, { toMark: true, above: 1 })],
  [0x81, fx(2, 1)],
  [0x92, fx(3, 1)],
  [0x80, fx(0, 0)],
  [0x95, fx(0, 0)],
  [ch("Q"), fx(1, 1)],
  [ch("."), fx(1, 0)],
]);

/** The effect of `code`; undefined for MARK, and for opcodes that always fail without help (EXT*, NEXT_BUFFER). */
export function stackEffect(code: number): StackEffect | undefined {
  return TABLE.get(code);
}

export const MARK = ch("(");
export const POP = ch("0");

/** Item counts between marks: `levels.at(-1)` is what sits above the top mark. */
export class StackDepth {
  private levels: number[] = [0];

  hasMark(): boolean {
    return this.levels.length > 1;
  }

  /** Applies an opcode; false where CPython raises (underflow, missing mark). */
  apply(code: number): boolean {
    if (code === MARK) {
      this.levels.push(0);
      return true;
    }
    const top = this.levels.length - 1;
    const above = this.levels[top] ?? 0;
    if (code === POP && above === 0 && top > 0) {
      this.levels.pop(); // POP with nothing above the mark pops the mark, as _pickle.c does
      return true;
    }
    const effect = stackEffect(code);
    if (effect === undefined) return false;
    if (effect.toMark) {
      if (top === 0 || above < (effect.above ?? 0)) return false;
      this.levels.pop();
      const below = this.levels[top - 1] ?? 0;
      if (below < (effect.below ?? 0)) return false;
      this.levels[top - 1] = below + effect.push;
      return true;
    }
    if (above < effect.pop) return false;
    this.levels[top] = above - effect.pop + effect.push;
    return true;
  }
}
