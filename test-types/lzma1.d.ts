// lzma1 publishes its TypeScript sources as its types, and they do not compile under this project's
// strict options (noUncheckedIndexedAccess); the tests use one function of it, declared here.
/** Compresses to an LZMA-alone (`.lzma`) stream with its header, at `mode` 1-9. */
export function compress(data: Uint8Array | string, mode?: number): Uint8Array;
