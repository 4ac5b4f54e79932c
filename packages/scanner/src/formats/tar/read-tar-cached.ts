import type { Limits } from "../../limits.js";
import type { ByteSource } from "../../reader/byte-source.js";
import { budgetFor } from "../container-budget.js";
import { readTar, type TarListing } from "./read-tar.js";

// The PyTorch tar parser and the plain tar parser look at the same file in turn: list it once.
const cache = new WeakMap<ByteSource, Promise<TarListing>>();

/** `readTar` with the listing kept for the next parser that asks about the same source. */
export function readTarCached(source: ByteSource, limits: Limits): Promise<TarListing> {
  let pending = cache.get(source);
  if (!pending) {
    pending = readTar(source, budgetFor(source, limits));
    cache.set(source, pending);
  }
  return pending;
}
