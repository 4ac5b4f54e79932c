// Web-platform APIs the scanner core uses. They exist in browsers and in Node (as globals), and are
// declared here because the core compiles with `"types": []` so that no Node-only API can creep in.

interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}
interface TextDecodeOptions {
  stream?: boolean;
}
declare class TextDecoder {
  constructor(label?: string, options?: TextDecoderOptions);
  decode(input?: ArrayBufferView, options?: TextDecodeOptions): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

// Web streams: the xz decoder (WebAssembly) reads and writes them.
interface ReadableStreamDefaultController<R> {
  enqueue(chunk: R): void;
  close(): void;
  error(reason?: unknown): void;
}
interface UnderlyingDefaultSource<R> {
  start?(controller: ReadableStreamDefaultController<R>): void | Promise<void>;
  pull?(controller: ReadableStreamDefaultController<R>): void | Promise<void>;
  cancel?(reason?: unknown): void | Promise<void>;
}
type ReadableStreamReadResult<R> = { done: true; value?: undefined } | { done: false; value: R };
interface ReadableStreamDefaultReader<R> {
  read(): Promise<ReadableStreamReadResult<R>>;
  cancel(reason?: unknown): Promise<void>;
  releaseLock(): void;
}
declare class ReadableStream<R = unknown> {
  constructor(source?: UnderlyingDefaultSource<R>);
  getReader(): ReadableStreamDefaultReader<R>;
  cancel(reason?: unknown): Promise<void>;
}
// Web Crypto: only the digest the secrets check uses for fingerprints.
interface SubtleCrypto {
  digest(algorithm: "SHA-256" | "SHA-384" | "SHA-512", data: Uint8Array): Promise<ArrayBuffer>;
}
declare var crypto: { readonly subtle: SubtleCrypto };
