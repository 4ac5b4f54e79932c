// Public API of @modelgate/scanner. Everything here runs in Node and in browsers.

export { pickleCheck } from "./checks/pickle-check.js";
export type { CheckInput, CheckOutput, PickleAnalysisAt, ScanCheck } from "./checks/scan-check.js";
export type { FormatParser, ParseContext, TextFragment } from "./formats/format-parser.js";
export { SNIFF_BYTES } from "./formats/format-parser.js";
export { NotThisFormatError } from "./formats/not-this-format.js";
export { DEFAULT_PARSERS } from "./formats/registry.js";
export type { Limits } from "./limits.js";
export { DEFAULT_LIMITS, resolveLimits } from "./limits.js";
export type { AnalysePickleOptions } from "./pickle/analyse-pickle.js";
export { analysePickle } from "./pickle/analyse-pickle.js";
export { OPCODES } from "./pickle/opcodes.js";
export type {
  PickleAnalysis,
  PickleCall,
  PickleCallee,
  PickleImport,
  PickleIssue,
  PickleString,
} from "./pickle/types.js";
export { classifyImport } from "./policy/classify-import.js";
export { DEFAULT_RULES, defaultPolicy } from "./policy/default-policy.js";
export type { Classification, Policy, PolicyRule } from "./policy/policy.js";
export { createPolicy } from "./policy/policy.js";
export type { UserPolicy } from "./policy/user-policy.js";
export { parseUserPolicy } from "./policy/user-policy.js";
export type { ByteSource } from "./reader/byte-source.js";
export { CountingSource, MemorySource, readFully, SliceSource } from "./reader/byte-source.js";
export { formatLocation } from "./report/location.js";
export { renderSarif } from "./report/render-sarif.js";
export { renderText } from "./report/render-text.js";
export type * from "./report/types.js";
export { exitCodeFor, fileVerdict, worseVerdict } from "./report/verdict.js";
export type { ScanOptions } from "./scan.js";
export { scanSource } from "./scan.js";
