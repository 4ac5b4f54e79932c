import { FIXED_LIMITS } from "../../limits.js";
import type { ByteSource } from "../../reader/byte-source.js";
import { ContainerError } from "../container-error.js";
import { SlidingWindow } from "./sliding-window.js";

/**
 * A `ByteSource` over a stream produced from its start (inflated or decompressed output): bytes are
 * produced as far as they are read, and only the head and a window behind the furthest read are
 * kept (`SlidingWindow`), so a 1 GiB member costs tens of MB however it is read. `size` is the
 * declared or measured size; when the stream ends short, it becomes what was produced (a short read
 * is then the end, as `ByteSource` promises). Reads are serialised: the producer is forward-only.
 */
export class StreamedSource implements ByteSource {
  private readonly window: SlidingWindow;
  private producer: AsyncIterator<Uint8Array> | undefined;
  private ended = false;
  private restarts = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly open: () => AsyncIterator<Uint8Array>,
    private readonly declaredSize: number,
    windowBytes = FIXED_LIMITS.streamWindowBytes,
  ) {
    this.window = new SlidingWindow(Math.min(FIXED_LIMITS.streamHeadBytes, windowBytes), windowBytes);
  }

  get size(): number {
    return this.ended ? Math.min(this.declaredSize, this.window.produced) : this.declaredSize;
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    const step = this.queue.then(() => this.readNow(offset, length));
    this.queue = step.catch(() => {});
    return step;
  }

  /** Produces the stream to its end (what comes past `size` is the producer's to judge). */
  drain(): Promise<void> {
    const step = this.queue.then(() => this.fill(Number.POSITIVE_INFINITY));
    this.queue = step.catch(() => {});
    return step;
  }

  private async readNow(offset: number, length: number): Promise<Uint8Array> {
    const from = Math.min(Math.max(0, offset), this.declaredSize);
    const to = Math.min(this.declaredSize, from + Math.max(0, length));
    this.window.widen(to - from);
    if (
      from < this.window.produced &&
      this.window.slice(from, Math.min(to, this.window.produced)) === undefined
    ) {
      this.restart(from);
    }
    await this.fill(to);
    return this.window.slice(from, Math.min(to, this.window.produced)) ?? new Uint8Array(0);
  }

  /** Stops the producer where it is (a decoder holding a context lets it go). */
  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.return?.(undefined).catch(() => {});
  }

  private restart(offset: number): void {
    if (++this.restarts > FIXED_LIMITS.maxStreamRestarts) {
      throw new ContainerError(
        "container/too-many-rereads",
        `a reader went back to byte ${offset} of a decompressed stream more than ${FIXED_LIMITS.maxStreamRestarts} times; the rest was not analysed`,
      );
    }
    this.producer?.return?.(undefined).catch(() => {});
    this.producer = undefined;
    this.ended = false;
    this.window.reset();
  }

  private async fill(to: number): Promise<void> {
    this.producer ??= this.open();
    while (!this.ended && this.window.produced < to) {
      const next = await this.producer.next();
      if (next.done) this.ended = true;
      else this.window.append(next.value);
    }
  }
}
