// Public API of @modelgate/scanner. Everything here runs in Node and in browsers.

export { pickleCheck } from "./checks/pickle-check.js";
export type { CheckInput, CheckOutput, PickleAnalysisAt, ScanCheck } from "./checks/scan-check.js";
export { INLINE_IGNORE_MARKER } from "./checks/secrets/inline-ignore.js";
export type { SecretDetector, SecretMatch, SecretSeverity } from "./checks/secrets/secret-detector.js";
export { SECRET_DETECTORS } from "./checks/secrets/secret-detectors.js";
export type { SecretsCheckOptions } from "./checks/secrets/secrets-check.js";
export { secretsCheck } from "./checks/secrets/secrets-check.js";
export {
  parseSecretsIgnore,
  SECRETS_IGNORE_FILE,
  SecretsIgnoreError,
} from "./checks/secrets/secrets-ignore.js";
export type { SecretsLimits } from "./checks/secrets/secrets-limits.js";
export { DEFAULT_SECRETS_LIMITS } from "./checks/secrets/secrets-limits.js";
export type {
  CheckpointTensor,
  DuplicateTensor,
  StorageBytes,
  TorchCheckpoint,
} from "./convert/checkpoint-types.js";
export { ConvertError } from "./convert/convert-error.js";
export type { ConvertLimits } from "./convert/convert-limits.js";
export { DEFAULT_CONVERT_LIMITS, resolveConvertLimits } from "./convert/convert-limits.js";
export { gatherView } from "./convert/gather-view.js";
export type { PlannedTensor, SafetensorsPlan } from "./convert/plan-safetensors.js";
export { planSafetensors, shardTensors, tensorBytes } from "./convert/plan-safetensors.js";
export type { ReadTorchCheckpointOptions } from "./convert/read-torch-checkpoint.js";
export { readTorchCheckpoint } from "./convert/read-torch-checkpoint.js";
export { isContiguousView } from "./convert/view-layout.js";
export type { FormatParser, ParseContext, TextFragment } from "./formats/format-parser.js";
export { SNIFF_BYTES } from "./formats/format-parser.js";
export { NotThisFormatError } from "./formats/not-this-format.js";
export { DEFAULT_PARSERS } from "./formats/registry.js";
export type { Cwe, LimitSpec, Limits, LimitValues } from "./limits.js";
export { DEFAULT_LIMITS, limitValues, resolveLimits } from "./limits.js";
export type { AnalysePickleOptions } from "./pickle/analyse-pickle.js";
export { analysePickle } from "./pickle/analyse-pickle.js";
export type {
  PickleAnalysis,
  PickleCall,
  PickleCallee,
  PickleImport,
  PickleIssue,
  PickleString,
} from "./pickle/types.js";
export type { ClamavSignature, ClamavSignatureDatabase, SkippedRule } from "./policy/clamav-signatures.js";
export {
  CLAMAV_DATABASE_FILE,
  CLAMAV_SIGNATURE_PREFIX,
  clamavSignatures,
} from "./policy/clamav-signatures.js";
export { classifyImport } from "./policy/classify-import.js";
export { DEFAULT_RULES, defaultPolicy } from "./policy/default-policy.js";
export type { Classification, Policy, PolicyRule } from "./policy/policy.js";
export { createPolicy } from "./policy/policy.js";
export type { UserPolicy } from "./policy/user-policy.js";
export { parseUserPolicy } from "./policy/user-policy.js";
export type { ByteSource } from "./reader/byte-source.js";
export { CountingSource, MemorySource, readFully, SliceSource } from "./reader/byte-source.js";
export { callFedBy } from "./report/call-fed-by.js";
export { escapeControl } from "./report/escape-control.js";
export { formatLocation } from "./report/location.js";
export { renderSarif } from "./report/render-sarif.js";
export { renderText } from "./report/render-text.js";
export { RETIRED_RULES, RULES, type RuleInfo } from "./report/rule-registry.js";
export type * from "./report/types.js";
export { exitCodeFor, fileVerdict, worseVerdict } from "./report/verdict.js";
export type { ScanOptions } from "./scan.js";
export { scanSource } from "./scan.js";
export { scanPathKey } from "./scan-path-key.js";
export { SCANNER_VERSION } from "./version.js";
