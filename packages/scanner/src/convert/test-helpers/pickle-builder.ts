/** Writes pickle opcodes byte by byte, for fixtures. Only what the tests need. */
export class PickleBuilder {
  private readonly parts: number[] = [];
  private memo = 0;

  op(...bytes: number[]): this {
    this.parts.push(...bytes);
    return this;
  }
  proto(n: number): this {
    return this.op(0x80, n);
  }
  mark(): this {
    return this.op(0x28);
  }
  stop(): this {
    return this.op(0x2e);
  }
  none(): this {
    return this.op(0x4e);
  }
  bool(v: boolean): this {
    return this.op(v ? 0x88 : 0x89);
  }
  int(n: number): this {
    if (n >= 0 && n < 256) return this.op(0x4b, n);
    if (n >= 0 && n < 65536) return this.op(0x4d, n & 0xff, n >> 8);
    if (n >= -(2 ** 31) && n < 2 ** 31) return this.op(0x4a, ...le(BigInt(n), 4));
    return this.long(BigInt(n));
  }
  long(n: bigint): this {
    let bytes = 1;
    while (n >= 1n << BigInt(bytes * 8 - 1) || n < -(1n << BigInt(bytes * 8 - 1))) bytes++;
    return this.op(0x8a, bytes, ...le(n, bytes));
  }
  float(v: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, false);
    return this.op(0x47, ...b);
  }
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.op(0x58, ...le(BigInt(b.length), 4), ...b);
  }
  /** GLOBAL `module\nname\n` (protocol 0-2 style, as torch.save writes). */
  global(module: string, name: string): this {
    return this.op(0x63, ...new TextEncoder().encode(`${module}\n${name}\n`));
  }
  stackGlobal(module: string, name: string): this {
    return this.str(module).str(name).op(0x93);
  }
  tuple(n: 0 | 1 | 2 | 3): this {
    return this.op([0x29, 0x85, 0x86, 0x87][n] as number);
  }
  markTuple(): this {
    return this.op(0x74);
  }
  emptyDict(): this {
    return this.op(0x7d);
  }
  emptyList(): this {
    return this.op(0x5d);
  }
  setItems(): this {
    return this.op(0x75);
  }
  appends(): this {
    return this.op(0x65);
  }
  reduce(): this {
    return this.op(0x52);
  }
  build(): this {
    return this.op(0x62);
  }
  binPersId(): this {
    return this.op(0x51);
  }
  /** BINPUT of the next memo index; returns the index through `at`. */
  put(at?: (index: number) => void): this {
    const i = this.memo++;
    at?.(i);
    return this.op(0x71, i);
  }
  get(index: number): this {
    return this.op(0x68, index);
  }
  /** A tuple of ints, as torch pickles sizes and strides. */
  ints(values: readonly number[]): this {
    if (values.length <= 3) {
      for (const v of values) this.int(v);
      return this.tuple(values.length as 0 | 1 | 2 | 3);
    }
    this.mark();
    for (const v of values) this.int(v);
    return this.markTuple();
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** `n` as `width` little-endian two's complement bytes. */
export function le(n: bigint, width: number): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(width * 8, n);
  for (let i = 0; i < width; i++) {
    out.push(Number(v & 0xffn));
    v >>= 8n;
  }
  return out;
}
