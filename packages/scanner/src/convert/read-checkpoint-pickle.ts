import type { Limits } from "../limits.js";
import type { Policy } from "../policy/policy.js";
import { type ByteSource, readFully } from "../reader/byte-source.js";
import { assertPickleSafe } from "./assert-pickle-safe.js";
import { ConvertError } from "./convert-error.js";
import type { ConvertLimits } from "./convert-limits.js";
import type { PyValue } from "./py-values.js";
import { type PersistentLoad, restrictedUnpickle } from "./restricted-unpickler.js";

/** Options shared by the checkpoint readers. */
export interface ReadCheckpointOptions {
  policy?: Policy;
  /** Scanner limits for the safety analysis. */
  scanLimits?: Partial<Limits>;
  limits: ConvertLimits;
}

/** A persistent load for pickles that must not refer to any storage. */
export const NO_PERSISTENT_IDS: PersistentLoad = () => {
  throw new ConvertError(
    "convert/forbidden-persistent-id",
    "a header pickle of the checkpoint loads a persistent object",
  );
};

/**
 * Reads one pickle stream of a checkpoint: the scanner analyses it first (anything not `safe` is
 * refused), then the restricted unpickler rebuilds it. Returns the value and where the stream ends.
 */
export async function readCheckpointPickle(
  source: ByteSource,
  start: number,
  where: string,
  persistentLoad: PersistentLoad,
  options: ReadCheckpointOptions,
): Promise<{ value: PyValue; end: number }> {
  const end = await assertPickleSafe(source, start, {
    member: where,
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.scanLimits ? { limits: options.scanLimits } : {}),
  });
  const size = end - start;
  if (size > options.limits.maxPickleBytes) {
    throw new ConvertError(
      "convert/pickle-too-large",
      `${where} is a pickle of ${size} bytes, more than the limit of ${options.limits.maxPickleBytes} for a checkpoint's object pickle`,
    );
  }
  const bytes = await readFully(source, start, size);
  const result = restrictedUnpickle(bytes, 0, persistentLoad, options.limits);
  if (result.end !== size) {
    throw new ConvertError(
      "convert/bad-pickle",
      `${where}: the pickle's end is ambiguous (${result.end} vs ${size})`,
    );
  }
  return { value: result.value, end };
}
