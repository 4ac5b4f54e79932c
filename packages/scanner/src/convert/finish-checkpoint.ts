import type { StorageBytes, TorchCheckpoint } from "./checkpoint-types.js";
import { collectTensors } from "./collect-tensors.js";
import type { ConvertLimits } from "./convert-limits.js";
import type { PyValue } from "./py-values.js";
import { resolveSharedTensors } from "./resolve-shared-tensors.js";

/**
 * From a rebuilt checkpoint object and its located storages, the tensors to write: entries collected,
 * shared storage resolved, duplicate names recorded in the metadata as `{removed: kept}`.
 */
export function finishCheckpoint(
  format: TorchCheckpoint["format"],
  value: PyValue,
  storages: Map<string, StorageBytes>,
  limits: ConvertLimits,
): TorchCheckpoint {
  const collected = collectTensors(value, limits);
  const shared = resolveSharedTensors(collected.tensors);
  const metadata = { ...collected.metadata };
  for (const d of shared.duplicates) metadata[d.name] = d.keptAs;
  return {
    format,
    tensors: shared.tensors,
    storages,
    metadata,
    duplicates: shared.duplicates,
    notes: [...collected.notes, ...shared.notes],
  };
}
