/** Where keywords occur in a text. */
export interface KeywordHits {
  /** End positions (exclusive) of each found keyword id's occurrences, in increasing order. */
  positions: Map<number, number[]>;
  /** Keyword ids with more occurrences than were kept. */
  overflow: Set<number>;
}

/** The automaton's tables for bytes (see `KeywordScanner.byteTables`). */
interface ByteTables {
  delta: Int32Array;
  firstOutput: number;
  outputs: (readonly number[] | undefined)[];
}

/** Keyword occurrences found by `feedBytes`, in order: end offsets and keyword ids, as parallel arrays. */
export interface ByteHits {
  ends: number[];
  ids: number[];
  /** True when more occurrences were found than kept. */
  overflow: boolean;
}

/**
 * Finds which of a fixed set of keywords occur in a text, in one pass (Aho-Corasick).
 * Detectors only run on texts holding one of their keywords, so a text costs one automaton pass
 * plus the few detectors that can match, instead of one `includes` or regex pass per detector.
 */
export class KeywordScanner {
  /** Character class of every UTF-16 code unit: 0 for characters in no keyword. */
  private readonly classOf = new Uint8Array(65536);
  /** Transitions, indexed by `state + class`, where states are stored pre-multiplied by `classes`. */
  private readonly delta: Int32Array;
  /** For each pre-multiplied state, the keyword ids it completes (own and through failure links). */
  private readonly outputs = new Map<number, readonly number[]>();
  /** 1 where `outputs` has an entry: a typed-array test keeps the inner loop fast. */
  private readonly hasOutput: Uint8Array;
  /** Number of character classes (the row width of `delta`). */
  private readonly classes: number;
  /** Tables of `feedBytes`, built on its first use. */
  private bytes: ByteTables | undefined;

  constructor(readonly keywords: readonly string[]) {
    let classes = 1;
    for (const kw of keywords) {
      for (let i = 0; i < kw.length; i++) {
        const c = kw.charCodeAt(i);
        if (this.classOf[c] === 0) this.classOf[c] = classes++;
      }
    }
    if (classes > 255) throw new Error("too many distinct keyword characters");
    const goto: number[][] = [[]];
    const own: number[][] = [[]];
    keywords.forEach((kw, id) => {
      let s = 0;
      for (let i = 0; i < kw.length; i++) {
        const k = this.classOf[kw.charCodeAt(i)] as number;
        const row = goto[s] as number[];
        let next = row[k];
        if (next === undefined) {
          next = goto.length;
          row[k] = next;
          goto.push([]);
          own.push([]);
        }
        s = next;
      }
      (own[s] as number[]).push(id);
    });
    const states = goto.length;
    const delta = new Int32Array(states * classes);
    const fail = new Int32Array(states);
    const outputs: number[][] = own.map((o) => [...o]);
    // Breadth-first: a state's failure link and transitions depend on shallower states only.
    const queue: number[] = [0];
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q] as number;
      const row = goto[s] as number[];
      for (let k = 1; k < classes; k++) {
        const next = row[k];
        const viaFail = s === 0 ? 0 : (delta[(fail[s] as number) * classes + k] as number) / classes;
        if (next === undefined) {
          delta[s * classes + k] = viaFail * classes;
          continue;
        }
        delta[s * classes + k] = next * classes;
        fail[next] = viaFail;
        (outputs[next] as number[]).push(...(outputs[viaFail] as number[]));
        queue.push(next);
      }
    }
    this.delta = delta;
    this.classes = classes;
    this.hasOutput = new Uint8Array(states * classes);
    outputs.forEach((o, s) => {
      if (o.length === 0) return;
      this.outputs.set(s * classes, o);
      this.hasOutput[s * classes] = 1;
    });
  }

  /**
   * The keywords that occur in `text`: for each keyword id, the end positions of its first
   * `maxPositions` occurrences (further ones are counted in `overflow`, not kept: CWE-770).
   */
  scan(text: string, maxPositions: number): KeywordHits {
    const positions = new Map<number, number[]>();
    const overflow = new Set<number>();
    const { delta, classOf, hasOutput } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      s = delta[s + (classOf[text.charCodeAt(i)] as number)] as number;
      if (hasOutput[s] === 0) continue;
      for (const id of this.outputs.get(s) ?? []) {
        let list = positions.get(id);
        if (list === undefined) {
          list = [];
          positions.set(id, list);
        }
        if (list.length < maxPositions) list.push(i + 1);
        else overflow.add(id);
      }
    }
    return { positions, overflow };
  }

  /**
   * Streams bytes through the automaton from `state` (0 to start, then what the last call returned),
   * each byte taken as the character of the same code (Latin-1: ASCII keywords match in any
   * encoding that keeps ASCII, UTF-8 included). Records the end (`base` + index + 1) and keyword id of
   * up to `maxHits` occurrences, and returns the state to continue with: a keyword cut by a chunk
   * boundary is found in the next chunk. This loop runs over every byte of a whole-file scan, so it
   * has its own tables: one load per byte, and a comparison in place of an output lookup.
   */
  feedBytes(bytes: Uint8Array, state: number, base: number, hits: ByteHits, maxHits: number): number {
    const { delta, firstOutput, outputs } = this.byteTables();
    let s = state;
    for (let i = 0; i < bytes.length; i++) {
      s = delta[s + (bytes[i] as number)] as number;
      if (s < firstOutput) continue;
      for (const id of outputs[s >> 8] ?? []) {
        if (hits.ends.length >= maxHits) {
          hits.overflow = true;
          break;
        }
        hits.ends.push(base + i + 1);
        hits.ids.push(id);
      }
    }
    return s;
  }

  /**
   * The automaton over bytes: 256 transitions per state (states pre-multiplied by 256), states
   * renumbered so that those completing a keyword come last (`s >= firstOutput`).
   */
  private byteTables(): ByteTables {
    if (this.bytes) return this.bytes;
    const { classes, classOf } = this;
    const states = this.delta.length / classes;
    const order: number[] = [];
    for (let s = 0; s < states; s++) if (this.hasOutput[s * classes] === 0) order.push(s);
    const firstOutput = order.length;
    for (let s = 0; s < states; s++) if (this.hasOutput[s * classes] === 1) order.push(s);
    const renumbered = new Int32Array(states);
    order.forEach((old, id) => {
      renumbered[old] = id;
    });
    const delta = new Int32Array(states * 256);
    const outputs: (readonly number[] | undefined)[] = [];
    order.forEach((old, id) => {
      for (let b = 0; b < 256; b++) {
        const next = (this.delta[old * classes + (classOf[b] as number)] as number) / classes;
        delta[id * 256 + b] = (renumbered[next] as number) * 256;
      }
      outputs[id] = this.outputs.get(old * classes);
    });
    this.bytes = { delta, firstOutput: firstOutput * 256, outputs };
    return this.bytes;
  }
}
