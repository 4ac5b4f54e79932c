/** An incremental decoder of one compressed stream (deflate, bzip2, xz, lz4, ...). */
export interface StreamDecoder {
  /**
   * Decodes `input`, handing each output chunk to `emit` (which may throw to stop a bomb). Returns how
   * many bytes of `input` are left over after the end of the stream (0 while the stream goes on).
   */
  push(input: Uint8Array, emit: (chunk: Uint8Array) => void): number;
  /** Called when the input is exhausted: decoders that need all input decode here. */
  finish?(emit: (chunk: Uint8Array) => void): void | Promise<void>;
  /**
   * Instead of `finish`: the output once the input is exhausted, pulled a chunk at a time, so that
   * a reader that stops pulling stops the decoder (bounded memory). Stopping early cancels it.
   */
  chunks?(): AsyncGenerator<Uint8Array>;
  /** True once the end of the stream has been decoded. */
  readonly ended: boolean;
  /**
   * Bytes after the last stream that the loader does not read, known after `finish` (for decoders
   * that split concatenated streams themselves).
   */
  readonly trailingBytes?: number;
}
