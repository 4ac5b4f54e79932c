// Node.js adapters for @modelgate/scanner.
export { FileSource } from "./file-source.js";
export type { OpenedSource } from "./open-scan-source.js";
export { openScanSource, SMALL_FILE_BYTES } from "./open-scan-source.js";
export type { ReadSecretsIgnoreOptions } from "./read-secrets-ignore.js";
export { readSecretsIgnore } from "./read-secrets-ignore.js";
export { scanFile } from "./scan-file.js";
export type { ScanPathsOptions } from "./scan-paths.js";
export { scanPaths } from "./scan-paths.js";
export type { DispatchObserver, ScanWorkers } from "./scan-pool.js";
export { MAX_BATCHES_PER_WORKER } from "./scan-pool.js";
export { serveScanWorker } from "./serve-scan-worker.js";
export type { FoundFile, WalkProblem } from "./walk-files.js";
export { walkFiles } from "./walk-files.js";
