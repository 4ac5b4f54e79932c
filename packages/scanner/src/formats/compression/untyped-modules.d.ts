// Types for the parts of untyped dependencies the core uses.

declare module "js-lzma" {
  /** A byte source: `readByte` may throw to stop the decoder (modelgate throws at the end of input). */
  export interface LzmaInStream {
    readByte(): number;
    /** Only `setDecoderProperties` reads it (at least 5). */
    size?: number;
  }
  /** A byte sink: `writeByte` may throw to stop the decoder (modelgate throws past a limit). */
  export interface LzmaOutStream {
    writeByte(value: number): void;
  }
  /** The sliding window (internal to js-lzma, pinned version): output not yet flushed sits here. */
  export interface LzmaOutWindow {
    _buffer: { [index: number]: number };
    _windowSize: number;
    flush(): void;
  }
  export interface LzmaDecoder {
    _outWindow: LzmaOutWindow;
    /** Matches reaching back this far or further are refused as corrupt (the SDK: max(dictionary, 1)). */
    _dictionarySizeCheck: number;
    /** Reads the properties byte and the dictionary size (5 bytes); false when invalid. */
    setDecoderProperties(properties: LzmaInStream): boolean;
    /** Decodes up to `outSize` bytes (-1: up to the end marker); false on corrupt data. */
    decode(input: LzmaInStream, output: LzmaOutStream, outSize: number): boolean;
  }
  const LZMA: { Decoder: new () => LzmaDecoder };
  export default LZMA;
}
