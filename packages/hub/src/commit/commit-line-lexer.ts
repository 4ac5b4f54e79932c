import { HUB_FIXED_LIMITS } from "../limits.js";
/** What the lexer reports while it reads a commit body. */
export type LexEvent =
  /** The string at `value.content` of the current line begins (its characters follow as `content`). */
  | { type: "contentStart" }
  /** Characters of that string, escapes resolved (a view into the input: use before the next feed). */
  | { type: "content"; bytes: Uint8Array }
  | { type: "contentEnd" }
  /** A line is complete: its JSON text, with the `value.content` string (if any) left empty. */
  | { type: "line"; json: string };

/** Thrown for a line the lexer cannot read (a limit, or a string that runs into the newline). */
export class LexError extends Error {
  constructor(
    message: string,
    readonly tooLarge: boolean,
  ) {
    super(message);
    this.name = "LexError";
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const SLASH = Uint8Array.of(0x2f);
const BACKSLASH_BYTE = Uint8Array.of(BACKSLASH);
/** Nesting depth of one line; real commit lines have 3 levels (CWE-674). */
const MAX_DEPTH = HUB_FIXED_LIMITS.maxCommitLineDepth;

/**
 * Splits an NDJSON commit body into lines as it streams in, and takes the one string that can be
 * huge out of each line: the base64 `content` of a `file` line (`{"key": "file", "value":
 * {"content": ...}}`, keys in any order). Its characters are handed out in pieces as they arrive; the
 * rest of the line (a few hundred bytes) is kept and handed out as JSON text at the line's end. It
 * only tracks strings and nesting (enough to know where `value.content` is); `JSON.parse` checks
 * the rest. Bounds: `maxLineBytes` for a whole line, `maxTextBytes` for what is kept of it.
 */
export class CommitLineLexer {
  private text: Buffer[] = [];
  private textBytes = 0;
  private lineBytes = 0;
  /** Open containers of the current line: `o` object, `a` array. */
  private stack: ("o" | "a")[] = [];
  /** The last key seen at each open object level. */
  private keys: string[] = [];
  private expectKey = false;
  private inString = false;
  private stringIsKey = false;
  private streaming = false;
  private escaped = false;
  private key: Buffer[] = [];
  private line = 1;

  constructor(
    private readonly maxLineBytes: number,
    private readonly maxTextBytes: number,
  ) {}

  /** Reads the next piece of the body. */
  *feed(chunk: Uint8Array): Generator<LexEvent> {
    let i = 0;
    while (i < chunk.length) {
      if (this.inString) {
        i = yield* this.readString(chunk, i);
        continue;
      }
      const b = chunk[i] ?? 0;
      if (b === NEWLINE) {
        this.keep(chunk, i, i);
        yield* this.endLine();
        i++;
        continue;
      }
      this.count(1);
      if (b === QUOTE) {
        this.beginString();
        this.keep(chunk, i, i + 1);
        if (this.streaming) yield { type: "contentStart" };
      } else {
        this.structure(b);
        this.keep(chunk, i, i + 1);
      }
      i++;
    }
  }

  /** Ends the body (a last line without a newline counts). */
  *end(): Generator<LexEvent> {
    yield* this.endLine();
  }

  private beginString(): void {
    this.inString = true;
    this.escaped = false;
    this.stringIsKey = this.stack.at(-1) === "o" && this.expectKey;
    this.key = [];
    this.streaming =
      !this.stringIsKey &&
      this.stack.length === 2 &&
      this.stack[0] === "o" &&
      this.stack[1] === "o" &&
      this.keys[0] === "value" &&
      this.keys[1] === "content";
  }

  /** Reads string characters from `i` to the closing quote or the end of the chunk; returns the next index. */
  private *readString(chunk: Uint8Array, start: number): Generator<LexEvent, number> {
    if (this.escaped) {
      this.escaped = false;
      const b = chunk[start] ?? 0;
      this.count(1);
      if (b === NEWLINE) throw new LexError(`line ${this.line} is not valid JSON`, false);
      if (this.streaming) {
        // Base64 needs no escapes; JSON writers may still escape "/". Any other escape is handed on
        // as a backslash, which the base64 decoder refuses.
        yield { type: "content", bytes: b === 0x2f ? SLASH : BACKSLASH_BYTE };
      } else {
        this.keep(chunk, start, start + 1);
        if (this.stringIsKey) this.key.push(Buffer.from(chunk.subarray(start, start + 1)));
      }
      return start + 1;
    }
    const quote = chunk.indexOf(QUOTE, start);
    const slash = chunk.indexOf(BACKSLASH, start);
    const newline = chunk.indexOf(NEWLINE, start);
    let stop = chunk.length;
    for (const at of [quote, slash, newline]) if (at >= 0 && at < stop) stop = at;
    if (stop === newline) throw new LexError(`line ${this.line} is not valid JSON`, false);
    this.count(stop - start);
    if (this.streaming) {
      if (stop > start) yield { type: "content", bytes: chunk.subarray(start, stop) };
    } else {
      this.keep(chunk, start, stop);
      if (this.stringIsKey) this.key.push(Buffer.from(chunk.subarray(start, stop)));
    }
    if (stop === chunk.length) return stop;
    this.count(1);
    if (stop === slash) {
      this.escaped = true;
      if (!this.streaming) {
        this.keep(chunk, stop, stop + 1);
        if (this.stringIsKey) this.key.push(Buffer.from(chunk.subarray(stop, stop + 1)));
      }
      return stop + 1;
    }
    // The closing quote.
    this.inString = false;
    if (this.streaming) {
      this.streaming = false;
      yield { type: "contentEnd" };
    } else if (this.stringIsKey) {
      this.keys[this.stack.length - 1] = Buffer.concat(this.key).toString("utf8");
    }
    this.keep(chunk, stop, stop + 1);
    return stop + 1;
  }

  /** Tracks nesting and whether the next string is a key. */
  private structure(b: number): void {
    if (b === 0x7b || b === 0x5b) {
      // { or [
      if (this.stack.length >= MAX_DEPTH) throw new LexError(`line ${this.line} nests too deeply`, false);
      this.stack.push(b === 0x7b ? "o" : "a");
      this.keys.length = this.stack.length;
      this.expectKey = b === 0x7b;
    } else if (b === 0x7d || b === 0x5d) {
      // } or ]
      this.stack.pop();
      this.keys.length = this.stack.length;
      this.expectKey = false;
    } else if (b === 0x2c) {
      // ,
      this.expectKey = this.stack.at(-1) === "o";
    } else if (b === 0x3a) {
      // :
      this.expectKey = false;
    }
  }

  /** Keeps bytes of the line's JSON text (everything but the streamed string's characters). */
  private keep(chunk: Uint8Array, start: number, end: number): void {
    if (end <= start) return;
    this.textBytes += end - start;
    if (this.textBytes > this.maxTextBytes) {
      throw new LexError(
        `line ${this.line} has more than ${this.maxTextBytes} bytes besides inline file content`,
        true,
      );
    }
    this.text.push(Buffer.from(chunk.subarray(start, end)));
  }

  private count(bytes: number): void {
    this.lineBytes += bytes;
    if (this.lineBytes > this.maxLineBytes) {
      throw new LexError(`line ${this.line} is longer than ${this.maxLineBytes} bytes`, true);
    }
  }

  private *endLine(): Generator<LexEvent> {
    if (this.inString) throw new LexError(`line ${this.line} is not valid JSON`, false);
    const json = Buffer.concat(this.text).toString("utf8");
    this.text = [];
    this.textBytes = 0;
    this.lineBytes = 0;
    this.stack = [];
    this.keys = [];
    this.expectKey = false;
    // Blank lines are skipped and not counted, as the Hub's clients never send them.
    if (json.trim() === "") return;
    this.line++;
    yield { type: "line", json };
  }
}
