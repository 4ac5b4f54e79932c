// Node.js adapters for @modelgate/scanner.
export { FileSource } from "./file-source.js";
export type { ReadSecretsIgnoreOptions } from "./read-secrets-ignore.js";
export { readSecretsIgnore } from "./read-secrets-ignore.js";
export type { ScanPathsOptions } from "./scan-paths.js";
export { scanPaths } from "./scan-paths.js";
export type { FoundFile, WalkProblem } from "./walk-files.js";
export { walkFiles } from "./walk-files.js";
