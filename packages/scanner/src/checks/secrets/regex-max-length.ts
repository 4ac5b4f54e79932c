/**
 * The most characters a regex can read from the text around one match: its longest match plus what
 * its lookarounds read (`(?<![A-Za-z0-9])` reads one character before the match). `Infinity` when a
 * quantifier is unbounded (`*`, `+`, `{n,}`), which no detector may use (the text is hostile input).
 *
 * It reads the source of the regex subset the detectors are written in: literals, escapes, classes,
 * groups (capturing, named, non-capturing, lookarounds), alternation, `?`, `{n}`, `{n,m}` and named
 * back-references. Anything else throws, so a detector written otherwise fails its test rather than
 * getting a wrong bound.
 */
export function regexMaxLength(re: RegExp): number {
  const parser = new Parser(re.source);
  const length = parser.alternation();
  if (parser.pos !== re.source.length) parser.fail("unbalanced )");
  return length;
}

class Parser {
  pos = 0;
  /** Longest match of each named group, for `\k<name>`. */
  private readonly named = new Map<string, number>();

  constructor(private readonly src: string) {}

  fail(why: string): never {
    throw new Error(`regexMaxLength: ${why} at ${this.pos} in /${this.src}/`);
  }

  /** `a|b|c` up to a `)` or the end: the longest branch. */
  alternation(): number {
    let longest = this.sequence();
    while (this.src[this.pos] === "|") {
      this.pos++;
      longest = Math.max(longest, this.sequence());
    }
    return longest;
  }

  private sequence(): number {
    let total = 0;
    while (this.pos < this.src.length && this.src[this.pos] !== "|" && this.src[this.pos] !== ")") {
      total += this.atom() * this.quantifier();
    }
    return total;
  }

  private atom(): number {
    const c = this.src[this.pos];
    if (c === "(") return this.group();
    if (c === "[") return this.charClass();
    if (c === "\\") return this.escape();
    if (c === "^" || c === "$") {
      this.pos++;
      return 0;
    }
    if (c === "*" || c === "+" || c === "?" || c === "{") this.fail("quantifier without an atom");
    this.pos++;
    return 1;
  }

  private group(): number {
    this.pos++; // (
    let name: string | undefined;
    if (this.src.startsWith("?<", this.pos) && !/^\?<[=!]/.test(this.src.slice(this.pos, this.pos + 3))) {
      const close = this.src.indexOf(">", this.pos);
      if (close < 0) this.fail("unclosed group name");
      name = this.src.slice(this.pos + 2, close);
      this.pos = close + 1;
    } else if (/^\?(?::|=|!|<=|<!)/.test(this.src.slice(this.pos, this.pos + 3))) {
      // Non-capturing or a lookaround: a lookaround matches nothing but reads its body's characters.
      this.pos += this.src[this.pos + 1] === "<" ? 3 : 2;
    } else if (this.src[this.pos] === "?") this.fail("unsupported group");
    const length = this.alternation();
    if (this.src[this.pos] !== ")") this.fail("unclosed group");
    this.pos++;
    if (name !== undefined) this.named.set(name, length);
    return length;
  }

  private charClass(): number {
    this.pos++; // [
    while (this.pos < this.src.length && this.src[this.pos] !== "]") {
      this.pos += this.src[this.pos] === "\\" ? 2 : 1;
    }
    if (this.src[this.pos] !== "]") this.fail("unclosed class");
    this.pos++;
    return 1;
  }

  private escape(): number {
    const next = this.src[this.pos + 1];
    if (next === undefined) this.fail("trailing backslash");
    if (next === "k") {
      const close = this.src.indexOf(">", this.pos);
      const length = this.named.get(this.src.slice(this.pos + 3, close));
      if (close < 0 || length === undefined) this.fail("back-reference to an unknown group");
      this.pos = close + 1;
      return length;
    }
    if (next === "b" || next === "B") {
      this.pos += 2;
      return 0;
    }
    if (next === "x") this.pos += 4;
    else if (next === "u") this.pos += 6;
    else if (/[0-9]/.test(next)) this.fail("numbered back-reference");
    else this.pos += 2;
    return 1;
  }

  /** The most repetitions the quantifier after an atom allows (1 without one). */
  private quantifier(): number {
    const c = this.src[this.pos];
    let most = 1;
    if (c === "?") {
      this.pos++;
    } else if (c === "*" || c === "+") {
      this.pos++;
      most = Number.POSITIVE_INFINITY;
    } else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) this.fail("bad {} quantifier");
      this.pos += m[0].length;
      most = m[2] === undefined ? Number(m[1]) : m[3] === "" ? Number.POSITIVE_INFINITY : Number(m[3]);
    } else return 1;
    if (this.src[this.pos] === "?") this.pos++; // lazy: same bound
    return most;
  }
}
