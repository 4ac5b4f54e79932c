/** Entries per page: small enough that a tiny pickle allocates little, large enough to index cheaply. */
const PAGE_BITS = 12;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;

/**
 * A growable array of int32 (zero where never set) stored in fixed pages, so that growing it never
 * copies: a large memo or string index costs its size once instead of up to 2.5 times while an array
 * doubles. Indices are non-negative integers below 2^32.
 */
export class PagedInt32 {
  private readonly pages: (Int32Array | undefined)[] = [];

  /** The value at `index`, 0 when it was never set. */
  get(index: number): number {
    const page = this.pages[index >>> PAGE_BITS];
    return page === undefined ? 0 : (page[index & PAGE_MASK] as number);
  }

  set(index: number, value: number): void {
    const p = index >>> PAGE_BITS;
    let page = this.pages[p];
    if (page === undefined) {
      page = new Int32Array(PAGE_SIZE);
      this.pages[p] = page;
    }
    page[index & PAGE_MASK] = value;
  }

  /** True when the page holding `index` exists (setting it allocates nothing). */
  has(index: number): boolean {
    return this.pages[index >>> PAGE_BITS] !== undefined;
  }
}
