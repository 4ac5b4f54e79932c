import { FIXED_LIMITS } from "../../limits.js";
import type { ByteSource } from "../../reader/byte-source.js";
import type { ContainerBudget } from "../container-budget.js";
import type { DeflateWrapper, Inflater } from "./inflater.js";
import { StreamedSource } from "./streamed-source.js";

/** How an inflated member ended, once it has been read to its end. */
export type InflateEnding = "exact" | "short" | "long" | "truncated";

/**
 * The inflated bytes of a compressed member whose size is declared (a deflated zip member), inflated
 * lazily: reading the first 4 KiB inflates little more than that, so sniffing a large deflated member
 * stays cheap. Only the start and a window behind the furthest read are kept (`StreamedSource`): a
 * 1 GiB member is streamed through its parser, not buffered. Output past the declared size is not
 * produced (miniz reads into a buffer of exactly that size and fails on more); `ending` tells how the
 * stream compared with the declaration. When it ends short, `size` becomes what it inflated to.
 */
export class InflateSource implements ByteSource {
  private readonly stream: StreamedSource;
  /** Output already charged to the budget: inflating again after a reader went back is not charged twice. */
  private charged = 0;
  /** Undefined until the stream has been inflated to its end. */
  ending: InflateEnding | undefined;

  constructor(
    private readonly compressed: ByteSource,
    private readonly declaredSize: number,
    private readonly budget: ContainerBudget,
    private readonly wrapper: DeflateWrapper = "raw",
    windowBytes = FIXED_LIMITS.streamWindowBytes,
  ) {
    this.stream = new StreamedSource(() => this.inflate(), declaredSize, windowBytes);
  }

  get size(): number {
    return this.stream.size;
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    return this.stream.read(offset, length);
  }

  /** Inflates the whole member (up to its declared size, and one step past it) and returns how it ended. */
  async finish(): Promise<InflateEnding> {
    await this.stream.drain();
    return this.ending ?? "exact";
  }

  /** The inflated output, chunk by chunk, from the start; sets `ending` when the stream is done. */
  private async *inflate(): AsyncGenerator<Uint8Array> {
    // Loaded on first read: pako is only needed for deflated members, which PyTorch never writes.
    const inflater: Inflater = new (await import("./inflater.js")).Inflater(this.wrapper);
    let consumed = 0;
    let produced = 0;
    for (;;) {
      const input = await this.compressed.read(consumed, FIXED_LIMITS.compressedStepBytes);
      if (input.length === 0) {
        this.ending = inflater.ended ? (produced === this.declaredSize ? "exact" : "short") : "truncated";
        return;
      }
      consumed += input.length;
      const out: Uint8Array[] = [];
      let overflow = false;
      inflater.push(input, (chunk) => {
        if (overflow) return;
        const room = this.declaredSize - produced;
        // Nothing past the declared size is ever read by the loader.
        if (chunk.length > room) overflow = true;
        const kept = overflow ? chunk.subarray(0, room) : chunk;
        produced += kept.length;
        if (produced > this.charged) {
          this.budget.takeDecompressed(produced - this.charged);
          this.charged = produced;
        }
        out.push(kept);
      });
      yield* out;
      if (overflow) {
        this.ending = "long";
        return;
      }
      if (inflater.ended) {
        this.ending = produced === this.declaredSize ? "exact" : "short";
        return;
      }
    }
  }
}
