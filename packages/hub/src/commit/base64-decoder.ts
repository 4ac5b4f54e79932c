/** 1 for every byte of the standard base64 alphabet (RFC 4648 section 4), 0 otherwise. */
const ALPHABET = new Uint8Array(256);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
  ALPHABET[c.charCodeAt(0)] = 1;
const PAD = 0x3d; // "="

/** Thrown for anything that is not strict, padded base64. */
export class Base64Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Base64Error";
  }
}

/**
 * Decodes strict, padded base64 (the Hub's `file` lines) as it arrives, in pieces of any size, so a
 * file of any length is never held as one string. Accepts exactly what `^(?:[A-Za-z0-9+/]{4})*
 * (?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$` accepts, without a regular expression (a backtracking
 * one overflows the stack on multi-MB input) and in time linear in the input.
 */
export class Base64Decoder {
  /** Alphabet characters not yet decoded (0 to 3 of them: base64 decodes in groups of 4). */
  private carry = "";
  private pads = 0;
  private length = 0;

  /** Decodes the next piece of base64 text (ASCII bytes); returns the bytes it completes. */
  push(text: Uint8Array): Buffer {
    if (text.length === 0) return Buffer.alloc(0);
    let end = text.length;
    for (let i = 0; i < text.length; i++) {
      const b = text[i] ?? 0;
      if (ALPHABET[b] === 1) {
        if (this.pads > 0) throw new Base64Error("characters after padding");
        continue;
      }
      if (b !== PAD) throw new Base64Error(`byte 0x${b.toString(16).padStart(2, "0")} is not base64`);
      if (this.pads === 0) end = i;
      this.pads++;
      if (this.pads > 2) throw new Base64Error("more than two padding characters");
    }
    this.length += text.length;
    const chars = this.carry + Buffer.from(text.buffer, text.byteOffset, end).toString("latin1");
    const whole = chars.length - (chars.length % 4);
    this.carry = chars.slice(whole);
    return Buffer.from(chars.slice(0, whole), "base64");
  }

  /** Ends the text; returns the last bytes. Throws when the text was not a whole number of groups. */
  end(): Buffer {
    if (this.length % 4 !== 0) throw new Base64Error(`length ${this.length} is not a multiple of 4`);
    // With padding, the carry holds the last group's 2 or 3 characters: 4 - pads of them.
    if (this.pads > 0 && this.carry.length !== 4 - this.pads) throw new Base64Error("misplaced padding");
    return Buffer.from(this.carry, "base64");
  }
}
