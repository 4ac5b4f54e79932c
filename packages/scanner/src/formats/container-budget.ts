import type { Limits } from "../limits.js";
import type { ByteSource } from "../reader/byte-source.js";
import { ContainerError } from "./container-error.js";

/**
 * What one top-level file may cost across all its nested containers: a zip of zips of bombs is
 * bounded as a whole (CWE-409), not only member by member. Container parsers hand their parent's
 * budget to the sources they create, so the whole tree draws on one budget.
 */
export class ContainerBudget {
  entries = 0;
  decompressedBytes = 0;
  /**
   * Codecs with one decoder per process (xz-decompress keeps one WebAssembly context behind a mutex)
   * whose stream is open, streamed, in this file: a member nested inside would wait for it forever.
   */
  readonly openExclusiveStreams = new Set<string>();
  constructor(private readonly limits: Limits) {}

  /** Counts `n` archive entries; throws `container/too-many-entries` past `maxArchiveEntries`. */
  takeEntries(n: number, offset?: number): void {
    this.entries += n;
    if (this.entries > this.limits.maxArchiveEntries) {
      throw new ContainerError(
        "container/too-many-entries",
        `more than ${this.limits.maxArchiveEntries} archive entries in this file (nested archives included)`,
        offset,
      );
    }
  }

  /** Counts decompressed bytes; throws `container/decompressed-too-large` past `maxDecompressedBytes`. */
  takeDecompressed(n: number): void {
    this.decompressedBytes += n;
    if (this.decompressedBytes > this.limits.maxDecompressedBytes) {
      throw new ContainerError(
        "container/decompressed-too-large",
        `more than ${this.limits.maxDecompressedBytes} bytes decompressed from this file (nested members included): a decompression bomb`,
      );
    }
  }
}

const budgets = new WeakMap<ByteSource, ContainerBudget>();

/** The budget `source` draws on: its parent container's, or a new one for a top-level file. */
export function budgetFor(source: ByteSource, limits: Limits): ContainerBudget {
  let budget = budgets.get(source);
  if (!budget) {
    budget = new ContainerBudget(limits);
    budgets.set(source, budget);
  }
  return budget;
}

/** Makes `child` (a member of a container) draw on `budget`. Returns `child`. */
export function withBudget<T extends ByteSource>(child: T, budget: ContainerBudget): T {
  budgets.set(child, budget);
  return child;
}
