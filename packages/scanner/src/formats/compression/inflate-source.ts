import type { ByteSource } from "../../reader/byte-source.js";
import type { ContainerBudget } from "../container-budget.js";
import type { DeflateWrapper, Inflater } from "./inflater.js";

/** Compressed bytes read per step. */
const INPUT_CHUNK_BYTES = 256 * 1024;

/** Thrown from the output callback to stop inflating once the declared size is exceeded. */
const OVERFLOW = new Error("inflated past the declared size");

/** How an inflated member ended, once it has been read to its end. */
export type InflateEnding = "exact" | "short" | "long" | "truncated";

/**
 * The inflated bytes of a compressed member whose size is declared (a deflated zip member), inflated
 * lazily: reading the first 4 KiB inflates little more than that, so sniffing a large deflated member
 * stays cheap. Output past the declared size is not produced (miniz reads into a buffer of exactly
 * that size and fails on more); `ending` tells how the stream compared with the declaration.
 */
export class InflateSource implements ByteSource {
  private buffer = new Uint8Array(0);
  private produced = 0;
  private consumed = 0;
  // Loaded on first read: pako is only needed for deflated members, which PyTorch never writes.
  private inflater: Inflater | undefined;
  private done = false;
  private queue: Promise<void> = Promise.resolve();
  /** Undefined until the stream has been inflated to its end. */
  ending: InflateEnding | undefined;

  constructor(
    private readonly compressed: ByteSource,
    private readonly declaredSize: number,
    private readonly budget: ContainerBudget,
    private readonly wrapper: DeflateWrapper = "raw",
  ) {}

  /**
   * The declared size until the stream is found to end short; then what it inflated to. A source
   * returns fewer bytes than asked only at its end (`ByteSource`): with the declared size kept,
   * readers that wait for the rest (a pickle window) would wait forever.
   */
  get size(): number {
    return this.done ? this.produced : this.declaredSize;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const from = Math.min(Math.max(0, offset), this.declaredSize);
    const to = Math.min(this.declaredSize, from + Math.max(0, length));
    // Reads are serialised: the inflater is a single forward-only stream.
    const step = this.queue.then(() => this.fill(to));
    this.queue = step.catch(() => {});
    await step;
    return this.buffer.subarray(from, Math.min(to, this.produced));
  }

  /** Inflates the whole member (up to its declared size) and returns how it ended. */
  async finish(): Promise<InflateEnding> {
    const step = this.queue.then(() => this.fill(this.declaredSize + 1));
    this.queue = step.catch(() => {});
    await step;
    return this.ending ?? "exact";
  }

  private async fill(upTo: number): Promise<void> {
    if (!this.done && this.produced < upTo)
      this.inflater ??= new (await import("./inflater.js")).Inflater(this.wrapper);
    const inflater = this.inflater;
    if (!inflater) return;
    while (!this.done && this.produced < upTo) {
      const input = await this.compressed.read(this.consumed, INPUT_CHUNK_BYTES);
      if (input.length === 0) {
        this.finishWith(inflater.ended ? undefined : "truncated");
        return;
      }
      this.consumed += input.length;
      try {
        inflater.push(input, (chunk) => this.append(chunk));
      } catch (err) {
        if (err !== OVERFLOW) throw err;
        this.finishWith("long");
        return;
      }
      if (inflater.ended) this.finishWith(undefined);
    }
  }

  private finishWith(ending: InflateEnding | undefined): void {
    this.done = true;
    this.ending = ending ?? (this.produced === this.declaredSize ? "exact" : "short");
  }

  private append(chunk: Uint8Array): void {
    const room = this.declaredSize - this.produced;
    const overflow = chunk.length > room;
    if (overflow) chunk = chunk.subarray(0, room);
    this.budget.takeDecompressed(chunk.length);
    if (this.produced + chunk.length > this.buffer.length) {
      let capacity = Math.max(64 * 1024, this.buffer.length * 2);
      while (capacity < this.produced + chunk.length) capacity *= 2;
      const grown = new Uint8Array(Math.min(this.declaredSize, capacity));
      grown.set(this.buffer.subarray(0, this.produced));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.produced);
    this.produced += chunk.length;
    // Stops the inflater: nothing past the declared size is ever read by the loader.
    if (overflow) throw OVERFLOW;
  }
}
