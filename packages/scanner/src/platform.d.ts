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
  decode(input?: Uint8Array, options?: TextDecodeOptions): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

// Web Crypto: only the digest the secrets check uses for fingerprints.
interface SubtleCrypto {
  digest(algorithm: "SHA-256" | "SHA-384" | "SHA-512", data: Uint8Array): Promise<ArrayBuffer>;
}
declare var crypto: { readonly subtle: SubtleCrypto };
