/** 1-based line and column of a position, and where its line starts. */
export interface LinePosition {
  line: number;
  column: number;
  lineStart: number;
}

/**
 * Turns UTF-16 positions of one text into lines and columns. Positions asked in increasing order
 * cost one pass over the text in total (the scan sorts its matches first).
 */
export class LineLocator {
  private pos = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  locate(index: number): LinePosition {
    if (index < this.pos) {
      this.pos = 0;
      this.line = 1;
      this.lineStart = 0;
    }
    for (
      let nl = this.text.indexOf("\n", this.pos);
      nl >= 0 && nl < index;
      nl = this.text.indexOf("\n", nl + 1)
    ) {
      this.line++;
      this.lineStart = nl + 1;
    }
    this.pos = index;
    return { line: this.line, column: index - this.lineStart + 1, lineStart: this.lineStart };
  }
}
