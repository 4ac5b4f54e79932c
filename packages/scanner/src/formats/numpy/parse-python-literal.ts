import { FIXED_LIMITS } from "../../limits.js";
import { ContainerError } from "../container-error.js";

/** A Python literal as numpy's header parser (`ast.literal_eval`) reads it: the subset `.npy` uses. */
export type PyLiteral =
  | { kind: "str"; value: string }
  | { kind: "int"; value: number }
  | { kind: "const"; value: boolean | null }
  | { kind: "tuple"; items: PyLiteral[] }
  | { kind: "list"; items: PyLiteral[] }
  | { kind: "dict"; entries: [PyLiteral, PyLiteral][] };

/**
 * Parses a Python literal made of str, int, True/False/None, tuples, lists and dicts (the `.npy`
 * header dictionary). Throws `numpy/bad-header` on anything else: numpy would refuse it too.
 */
export function parsePythonLiteral(text: string): PyLiteral {
  const parser = new LiteralParser(text);
  const value = parser.value(0);
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail("unexpected text after the literal");
  return value;
}

class LiteralParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(why: string): never {
    throw new ContainerError(
      "numpy/bad-header",
      `cannot read the .npy header: ${why} at character ${this.pos}`,
    );
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }

  value(depth: number): PyLiteral {
    if (depth > FIXED_LIMITS.maxPythonLiteralDepth) this.fail("nested too deeply");
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === "'" || c === '"') return { kind: "str", value: this.string(c) };
    if (c === "(") return this.sequence(")", depth, "tuple");
    if (c === "[") return this.sequence("]", depth, "list");
    if (c === "{") return this.dict(depth);
    // `10L`: Python 2 longs, which numpy accepts in version 1 and 2 headers (`_filter_header`).
    const word = /^(-?\d+L?|True|False|None)/.exec(this.text.slice(this.pos, this.pos + 32));
    if (!word) this.fail("unexpected character");
    const w = word[0];
    this.pos += w.length;
    if (w === "True" || w === "False") return { kind: "const", value: w === "True" };
    if (w === "None") return { kind: "const", value: null };
    return { kind: "int", value: Number(w.replace("L", "")) };
  }

  private string(quote: string): string {
    let out = "";
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++] as string;
      if (c === quote) return out;
      if (c === "\\") {
        const next = this.text[this.pos++];
        if (next === undefined) break;
        out += next;
      } else out += c;
    }
    return this.fail("unterminated string");
  }

  private sequence(close: string, depth: number, kind: "tuple" | "list"): PyLiteral {
    this.pos++;
    const items: PyLiteral[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) {
        this.pos++;
        return { kind, items };
      }
      items.push(this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.pos] === ",") this.pos++;
      else if (this.text[this.pos] !== close) this.fail(`expected , or ${close}`);
    }
  }

  private dict(depth: number): PyLiteral {
    this.pos++;
    const entries: [PyLiteral, PyLiteral][] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === "}") {
        this.pos++;
        return { kind: "dict", entries };
      }
      const key = this.value(depth + 1);
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.fail("expected :");
      this.pos++;
      entries.push([key, this.value(depth + 1)]);
      this.skipSpace();
      if (this.text[this.pos] === ",") this.pos++;
      else if (this.text[this.pos] !== "}") this.fail("expected , or }");
    }
  }
}
