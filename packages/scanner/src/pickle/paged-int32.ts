/** Entries per page: small enough to index cheaply, large enough that big arrays have few pages. */
const PAGE_BITS = 12;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;
/**
 * Entries a page starts with; it doubles up to PAGE_SIZE as higher slots are set. Most streams are
 * small (a repository holds thousands of them): a full 16 KB page for each, zeroed and collected,
 * was a large share of scanning them.
 */
const FIRST_PAGE_ENTRIES = 64;

/**
 * A growable array of int32 (zero where never set) stored in fixed pages, so that growing it never
 * copies more than one page: a large memo or string index costs its size once instead of up to 2.5
 * times while an array doubles. Indices are non-negative integers below 2^32.
 */
export class PagedInt32 {
  private readonly pages: (Int32Array | undefined)[] = [];

  /** The value at `index`, 0 when it was never set. */
  get(index: number): number {
    const page = this.pages[index >>> PAGE_BITS];
    return page === undefined ? 0 : (page[index & PAGE_MASK] ?? 0);
  }

  set(index: number, value: number): void {
    const p = index >>> PAGE_BITS;
    const slot = index & PAGE_MASK;
    let page = this.pages[p];
    if (page === undefined || slot >= page.length) {
      let size = page === undefined ? FIRST_PAGE_ENTRIES : page.length * 2;
      while (size <= slot) size *= 2;
      const grown = new Int32Array(Math.min(PAGE_SIZE, size));
      if (page !== undefined) grown.set(page);
      page = grown;
      this.pages[p] = page;
    }
    page[slot] = value;
  }

  /** True when setting `index` allocates nothing (its page exists and reaches it). */
  has(index: number): boolean {
    const page = this.pages[index >>> PAGE_BITS];
    return page !== undefined && (index & PAGE_MASK) < page.length;
  }
}
