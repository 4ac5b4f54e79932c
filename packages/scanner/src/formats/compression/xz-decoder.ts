import xz from "xz-decompress";
import { ContainerError } from "../container-error.js";
import type { StreamDecoder } from "./stream-decoder.js";

/**
 * xz streams (joblib's `compress='xz'`) through xz-decompress (xz-embedded compiled to WebAssembly,
 * the same in browsers and Node). It decodes from a stream: the input is gathered (bounded), then the
 * output is read chunk by chunk, and cancelled as soon as a bound is crossed. Concatenated streams
 * are decoded one after another, as Python's `lzma` module reads them.
 */
export class XzDecoder implements StreamDecoder {
  private readonly parts: Uint8Array[] = [];
  private size = 0;
  ended = false;

  constructor(private readonly maxInput: number) {}

  push(input: Uint8Array): number {
    this.size += input.length;
    if (this.size > this.maxInput) {
      throw new ContainerError("container/member-too-large", `xz data larger than ${this.maxInput} bytes`);
    }
    this.parts.push(input.slice());
    return 0;
  }

  async finish(emit: (chunk: Uint8Array) => void): Promise<void> {
    for await (const chunk of this.chunks()) emit(chunk);
  }

  /** The decoded output, chunk by chunk; a caller that stops pulling (or throws) cancels the decoder. */
  async *chunks(): AsyncGenerator<Uint8Array> {
    const parts = this.parts;
    const input = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const p of parts) controller.enqueue(p);
        controller.close();
      },
    });
    const reader = new xz.XzReadableStream(input).getReader();
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (err) {
        throw new ContainerError(
          "compression/corrupt",
          `invalid or cut xz data: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      if (next.done) break;
      let pulled = false;
      try {
        yield next.value;
        pulled = true;
      } finally {
        // Stops the decoder (and frees its single WebAssembly context for the next file).
        // Cancelling a stream that has just ended fails inside xz-decompress (its context is gone):
        // nothing is left to free then.
        if (!pulled) await reader.cancel().catch(() => {});
      }
    }
    this.ended = true;
  }
}
