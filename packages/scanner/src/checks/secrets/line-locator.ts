/** 1-based line and column of a position, and where its line starts. */
export interface LinePosition {
  line: number;
  column: number;
  lineStart: number;
}

/**
 * Turns UTF-16 positions of one text into lines and columns. Positions asked in increasing order
 * cost one pass over the text in total (the scan sorts its matches first); the next newline is
 * remembered, so many positions on one huge line do not rescan it.
 */
export class LineLocator {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  /** First newline at or after `pos` (the text's length when there is none). */
  private nextNewline = -1;

  constructor(private readonly text: string) {}

  locate(index: number): LinePosition {
    if (index < this.pos) {
      this.pos = 0;
      this.line = 1;
      this.lineStart = 0;
      this.nextNewline = -1;
    }
    if (this.nextNewline < this.pos) this.nextNewline = this.findNewline(this.pos);
    while (this.nextNewline < index) {
      this.line++;
      this.lineStart = this.nextNewline + 1;
      this.nextNewline = this.findNewline(this.lineStart);
    }
    this.pos = index;
    return { line: this.line, column: index - this.lineStart + 1, lineStart: this.lineStart };
  }

  private findNewline(from: number): number {
    const nl = this.text.indexOf("\n", from);
    return nl < 0 ? this.text.length : nl;
  }
}
