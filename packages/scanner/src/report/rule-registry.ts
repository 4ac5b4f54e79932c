import { SECRET_DETECTORS } from "../checks/secrets/secret-detectors.js";
import { CONTAINER_RULES, RETIRED_CONTAINER_RULES } from "../formats/container-rules.js";
import type { CheckId, Severity } from "./types.js";

/**
 * Every rule id a finding can carry, in one registry: the check that reports it, its severity, and
 * what it means. Ids are a public contract (reports, SARIF, policy files and suppressions name them):
 * an id is never reused for another meaning, and retired ids stay in `RETIRED_RULES`.
 * `rule-registry.test.ts` keeps this registry, the code and the tests in step both ways, and writes
 * RULES.md from it.
 */
export interface RuleInfo {
  readonly check: CheckId;
  /** `varies` where the finding's severity depends on what was found (told in `meaning`). */
  readonly severity: Severity | "varies";
  readonly meaning: string;
}

/** Rules outside the container table and the secret detectors. */
const RULES_OF_CHECKS: Readonly<Record<string, RuleInfo>> = {
  "format/parse-error": {
    check: "format",
    severity: "error",
    meaning: "A format parser failed on the file or member, so what it holds was not analysed.",
  },
  "format/not-as-named": {
    check: "format",
    severity: "error",
    meaning:
      "The file is named for a format whose loader accepts nothing else (`.safetensors`) but is not one (empty, or another format); its content is still analysed as what it is.",
  },
  "text/git-lfs-pointer": {
    check: "format",
    severity: "info",
    meaning: "A Git LFS pointer: the large file it stands for is not here and was not scanned.",
  },
  "pickle/check-failed": {
    check: "pickle",
    severity: "error",
    meaning: "The pickle check itself failed on this file; nothing it would have found is known.",
  },
  "secrets/check-failed": {
    check: "secrets",
    severity: "error",
    meaning: "The secrets check itself failed on this file; nothing it would have found is known.",
  },
  "malware/check-failed": {
    check: "malware",
    severity: "error",
    meaning: "The malware check itself failed on this file; nothing it would have found is known.",
  },
  "io/unreadable": { check: "format", severity: "error", meaning: "The file could not be opened or read." },
  "io/scan-failed": {
    check: "format",
    severity: "error",
    meaning: "The scan of the file failed unexpectedly (a bug, not bad content); the file fails closed.",
  },
  "io/not-a-file": {
    check: "format",
    severity: "error",
    meaning: "A FIFO, socket or device: listed, never opened or read.",
  },
  "pickle/dangerous-import": {
    check: "pickle",
    severity: "dangerous",
    meaning:
      "The stream imports a callable that runs code, reaches the system, or resolves names when loaded.",
  },
  "pickle/suspicious-import": {
    check: "pickle",
    severity: "suspicious",
    meaning: "The stream imports something outside the allowlist of what real model files contain.",
  },
  "pickle/unresolved-global": {
    check: "pickle",
    severity: "dangerous",
    meaning: "STACK_GLOBAL imports a name computed in the stream rather than written as a string.",
  },
  "pickle/indirect-call": {
    check: "pickle",
    severity: "varies",
    meaning: "A call whose callable is not a direct import (a value built or fetched in the stream).",
  },
  "pickle/build-on-import": {
    check: "pickle",
    severity: "dangerous",
    meaning: "BUILD sets attributes on an imported object, changing it for the whole process.",
  },
  "pickle/mutates-import": {
    check: "pickle",
    severity: "dangerous",
    meaning: "The stream calls a mutating method (append, update, ...) on an imported object.",
  },
  "pickle/extension-code": {
    check: "pickle",
    severity: "suspicious",
    meaning: "EXT1/2/4 imports whatever copyreg's extension registry maps the code to at load time.",
  },
  "pickle/out-of-band-buffer": {
    check: "pickle",
    severity: "suspicious",
    meaning: "NEXT_BUFFER asks the loader for an out-of-band buffer.",
  },
  "pickle/nested-pickle": {
    check: "pickle",
    severity: "info",
    meaning:
      "A loader function is fed bytes written in the stream; the nested pickle was analysed and judged with the file.",
  },
  "pickle/nested-incomplete": {
    check: "pickle",
    severity: "error",
    meaning: "A nested pickle (object array or loader argument) did not end cleanly.",
  },
  "pickle/nesting-too-deep": {
    check: "pickle",
    severity: "error",
    meaning: "Nested pickles deeper than the limit; the deeper ones were not analysed.",
  },
  "pickle/stop-inside-frame": {
    check: "pickle",
    severity: "suspicious",
    meaning:
      "The pickle stops inside a FRAME that goes on; loaders disagree on where the next stream starts.",
  },
  "pickle/trailing-data": {
    check: "pickle",
    severity: "suspicious",
    meaning: "Bytes after the last pickle stream are not a pickle.",
  },
  "pickle/too-many-streams": {
    check: "pickle",
    severity: "error",
    meaning: "More back-to-back pickle streams than the limit; the rest was not analysed.",
  },
  "pickle/incomplete": { check: "pickle", severity: "error", meaning: "The stream did not reach STOP." },
  "pickle/calls-not-listed": {
    check: "pickle",
    severity: "info",
    meaning: "More calls than the report lists; later calls are classified through their imports only.",
  },
  "pickle/internal": {
    check: "pickle",
    severity: "error",
    meaning: "The analysis could not make progress (a bug in modelgate; the file fails closed).",
  },
  "pickle/truncated": {
    check: "pickle",
    severity: "error",
    meaning: "The stream or its inline array data runs past the end of the file.",
  },
  "pickle/inline-data": {
    check: "pickle",
    severity: "error",
    meaning: "joblib inline array data that cannot be read as joblib reads it.",
  },
  "pickle/unknown-opcode": {
    check: "pickle",
    severity: "error",
    meaning: "An opcode CPython does not know: the loader stops there with an error.",
  },
  "pickle/unsupported-protocol": {
    check: "pickle",
    severity: "error",
    meaning: "PROTO names a protocol CPython does not support.",
  },
  "pickle/bad-extension": {
    check: "pickle",
    severity: "error",
    meaning: "EXT with a code of zero or less, which the loader refuses.",
  },
  "pickle/bad-float": {
    check: "pickle",
    severity: "error",
    meaning: "A FLOAT argument that is not a number.",
  },
  "pickle/bad-int": {
    check: "pickle",
    severity: "error",
    meaning: "An INT or LONG argument that is not an integer.",
  },
  "pickle/bad-global-name": {
    check: "pickle",
    severity: "error",
    meaning: "A GLOBAL or INST name that is not valid UTF-8.",
  },
  "pickle/bad-memo-index": {
    check: "pickle",
    severity: "error",
    meaning: "A GET or PUT argument that is not a valid memo index.",
  },
  "pickle/memo-missing": {
    check: "pickle",
    severity: "error",
    meaning: "A memo read of an index never written.",
  },
  "pickle/memo-limit": {
    check: "pickle",
    severity: "error",
    meaning: "More memo entries at scattered indices than the limit.",
  },
  "pickle/negative-length": {
    check: "pickle",
    severity: "error",
    meaning: "LONG4 with a negative byte count.",
  },
  "pickle/length-overflow": {
    check: "pickle",
    severity: "error",
    meaning: "An 8-byte length larger than any file.",
  },
  "pickle/frame-overflow": {
    check: "pickle",
    severity: "error",
    meaning: "A FRAME longer than the rest of the file.",
  },
  "pickle/line-too-long": {
    check: "pickle",
    severity: "error",
    meaning: "A text argument longer than the line limit.",
  },
  "pickle/name-too-long": {
    check: "pickle",
    severity: "error",
    meaning: "An imported module or name longer than the limit.",
  },
  "pickle/unquoted-string": {
    check: "pickle",
    severity: "error",
    meaning: "A STRING argument that is not quoted.",
  },
  "pickle/stack-global-not-str": {
    check: "pickle",
    severity: "error",
    meaning: "STACK_GLOBAL with operands that are not strings: the loader stops there.",
  },
  "pickle/no-mark": {
    check: "pickle",
    severity: "error",
    meaning: "An opcode needs a MARK that is not on the stack.",
  },
  "pickle/odd-dict": { check: "pickle", severity: "error", meaning: "DICT with an odd number of items." },
  "pickle/odd-setitems": {
    check: "pickle",
    severity: "error",
    meaning: "SETITEMS with an odd number of items.",
  },
  "pickle/stack-underflow": {
    check: "pickle",
    severity: "error",
    meaning: "An opcode needs more values than the stack holds.",
  },
  "pickle/stack-limit": {
    check: "pickle",
    severity: "error",
    meaning: "The stack grew deeper than the limit.",
  },
  "pickle/too-many-marks": {
    check: "pickle",
    severity: "error",
    meaning: "MARKs nested deeper than the limit.",
  },
  "pickle/too-many-opcodes": {
    check: "pickle",
    severity: "error",
    meaning: "More opcodes in one stream than the limit.",
  },
  "pickle/too-many-imports": {
    check: "pickle",
    severity: "error",
    meaning: "More distinct imports than the limit.",
  },
  "safetensors/header-too-large": {
    check: "format",
    severity: "error",
    meaning: "The declared header length exceeds the limit.",
  },
  "safetensors/header-length": {
    check: "format",
    severity: "error",
    meaning: "The declared header runs past the end of the file.",
  },
  "safetensors/header-not-utf8": {
    check: "format",
    severity: "error",
    meaning: "The header is not valid UTF-8.",
  },
  "safetensors/header-start": {
    check: "format",
    severity: "error",
    meaning: 'The header does not start with "{".',
  },
  "safetensors/header-json": {
    check: "format",
    severity: "error",
    meaning:
      "The header is not valid JSON, or not a JSON object (reported for files named `.safetensors`; other content is left to other formats).",
  },
  "safetensors/too-short": {
    check: "format",
    severity: "error",
    meaning: "A file named `.safetensors` is shorter than the 8-byte header length.",
  },
  "safetensors/duplicate-key": {
    check: "format",
    severity: "error",
    meaning: "A key appears twice in one JSON object; readers disagree on which one counts.",
  },
  "safetensors/invalid-number": {
    check: "format",
    severity: "error",
    meaning: "A number in the header is not a plain non-negative integer.",
  },
  "safetensors/nesting-too-deep": {
    check: "format",
    severity: "error",
    meaning: "The header's JSON nests deeper than a valid header can.",
  },
  "safetensors/invalid-metadata": {
    check: "format",
    severity: "error",
    meaning: "__metadata__ is not an object of strings.",
  },
  "safetensors/invalid-entry": {
    check: "format",
    severity: "error",
    meaning: "A tensor entry is not an object or lacks dtype, shape or data_offsets.",
  },
  "safetensors/unknown-field": {
    check: "format",
    severity: "error",
    meaning: "A tensor entry has a field the format does not define.",
  },
  "safetensors/unknown-dtype": {
    check: "format",
    severity: "error",
    meaning: "A dtype the format does not define.",
  },
  "safetensors/invalid-shape": {
    check: "format",
    severity: "error",
    meaning: "A shape that is not a list of non-negative integers.",
  },
  "safetensors/invalid-offsets": {
    check: "format",
    severity: "error",
    meaning: "data_offsets that are not [begin, end] with begin <= end.",
  },
  "safetensors/misaligned-size": {
    check: "format",
    severity: "error",
    meaning: "A tensor's bits do not fill whole bytes.",
  },
  "safetensors/size-overflow": {
    check: "format",
    severity: "error",
    meaning: "A tensor's byte size overflows 64 bits.",
  },
  "safetensors/size-mismatch": {
    check: "format",
    severity: "error",
    meaning: "A tensor's data_offsets span another size than its shape and dtype need.",
  },
  "safetensors/offset-gap": {
    check: "format",
    severity: "error",
    meaning: "Bytes between two tensors belong to none.",
  },
  "safetensors/offset-overlap": {
    check: "format",
    severity: "error",
    meaning: "A tensor starts inside the previous one.",
  },
  "safetensors/trailing-bytes": {
    check: "format",
    severity: "error",
    meaning: "Bytes follow the last tensor's data.",
  },
  "safetensors/truncated": {
    check: "format",
    severity: "error",
    meaning: "Tensor data runs past the end of the file.",
  },
  "safetensors/more-problems": {
    check: "format",
    severity: "error",
    meaning: "More problems than are listed one by one.",
  },
  "gguf/truncated": {
    check: "format",
    severity: "error",
    meaning: "The GGUF header ends past the end of the file.",
  },
  "text/chat-template-dunder": {
    check: "format",
    severity: "dangerous",
    meaning:
      "A chat template in a text file (tokenizer_config.json, chat_template.jinja/.json, processor configs, chat_template keys of YAML configs, *chat*.jinja/.j2 and root *.jinja/.j2) reaches a Python special name or a private attribute the sandbox refuses, written out or assembled from literals, to escape the Jinja sandbox.",
  },
  "text/chat-template-os-call": {
    check: "format",
    severity: "dangerous",
    meaning:
      "A chat template in a text file calls a function that reaches the operating system or runs code.",
  },
  "text/chat-template-computed-attr": {
    check: "format",
    severity: "suspicious",
    meaning: "A chat template in a text file reads an attribute whose name is computed at render time.",
  },
  "text/chat-template-too-large": {
    check: "format",
    severity: "error",
    meaning:
      "A chat template in a text file, or the YAML config holding one, is larger or deeper than the checker's bounds; it was not checked.",
  },
  "text/chat-template-unparsed": {
    check: "format",
    severity: "error",
    meaning:
      "A chat template in a text file, or the YAML config naming one, could not be parsed, so it was not checked.",
  },
  "gguf/template-dunder": {
    check: "format",
    severity: "dangerous",
    meaning:
      "A chat template uses a Python special name (__globals__, __class__, ...) to escape the Jinja sandbox.",
  },
  "gguf/template-os-call": {
    check: "format",
    severity: "dangerous",
    meaning: "A chat template calls something that reaches the operating system or runs code.",
  },
  "gguf/template-computed-attr": {
    check: "format",
    severity: "suspicious",
    meaning: "A chat template reads an attribute whose name is computed at render time.",
  },
  "gguf/template-too-large": {
    check: "format",
    severity: "error",
    meaning: "A chat template longer than the limit, not checked.",
  },
  "gguf/template-unparsed": {
    check: "format",
    severity: "error",
    meaning: "A chat template that does not parse, so it was not checked.",
  },
  "hdf5/user-block": {
    check: "format",
    severity: "error",
    meaning: "An HDF5 file with a user block before its superblock: its attributes were not checked.",
  },
  "hdf5/dense-attributes": {
    check: "format",
    severity: "error",
    meaning:
      "The root group keeps attributes in dense storage, which cannot be read; a model config may hide there.",
  },
  "hdf5/too-large": {
    check: "format",
    severity: "error",
    meaning:
      "Reading the HDF5 root attributes (header blocks, heap collections) would take more than `maxMemberBytes` bytes.",
  },
  "hdf5/unreadable-attribute": {
    check: "format",
    severity: "suspicious",
    meaning:
      "A root attribute of the HDF5 file whose datatype or dataspace the reader cannot interpret (undefined class or version, shared).",
  },
  "keras/config-json": {
    check: "format",
    severity: "error",
    meaning: "The Keras model config is not valid JSON; the model cannot be checked.",
  },
  "keras/config-too-deep": {
    check: "format",
    severity: "error",
    meaning: "The Keras model config nests deeper than the limit.",
  },
  "keras/config-too-large": {
    check: "format",
    severity: "error",
    meaning: "The Keras model config has more values than the limit.",
  },
  "keras/lambda-layer": {
    check: "format",
    severity: "dangerous",
    meaning: "A Lambda layer, whose Python code runs when the model is loaded or called.",
  },
  "keras/lambda-function": {
    check: "format",
    severity: "dangerous",
    meaning: "A serialized Python lambda (marshalled bytecode).",
  },
  "keras/tf-op-lambda": {
    check: "format",
    severity: "dangerous",
    meaning: "A TensorFlow op that reads or writes files or runs Python.",
  },
  "keras/custom-module": {
    check: "format",
    severity: "dangerous",
    meaning: "A class from a module outside Keras: loading it imports that module's code.",
  },
  "keras/custom-object": {
    check: "format",
    severity: "dangerous",
    meaning: "A registered custom object from a package outside Keras.",
  },
  "onnx/too-large": {
    check: "format",
    severity: "error",
    meaning: "The ONNX file is larger than the in-memory analysis limit.",
  },
  "onnx/too-many-items": {
    check: "format",
    severity: "error",
    meaning: "More graphs and tensors than the limit.",
  },
  "onnx/embedded-function": {
    check: "format",
    severity: "info",
    meaning: "A model-local function built from ONNX operators; its nodes are checked too.",
  },
  "onnx/custom-op-domain": {
    check: "format",
    severity: "suspicious",
    meaning: "Operators from a custom domain, which need a native operator library from outside the model.",
  },
  "onnx/external-data-path": {
    check: "format",
    severity: "dangerous",
    meaning: "External tensor data read from a path that leaves the model's folder.",
  },
  "tf-savedmodel/too-large": {
    check: "format",
    severity: "error",
    meaning: "saved_model.pb is larger than the in-memory analysis limit.",
  },
  "tf-savedmodel/risky-op": {
    check: "format",
    severity: "varies",
    meaning: "Graph ops that read or write files, run Python or reach the network when the model runs.",
  },
  "unknown/unrecognised": {
    check: "format",
    severity: "info",
    meaning: "An unrecognised binary format with no known executable inside, reported safe.",
  },
  "unknown/executable": {
    check: "format",
    severity: "suspicious",
    meaning:
      "An unrecognised binary holding an executable (ELF, PE, Mach-O, WebAssembly, Java, DEX, Python bytecode).",
  },
  "unknown/unanalysed-container": {
    check: "format",
    severity: "error",
    meaning: "A container no parser analysed; what it holds was not checked.",
  },
  "unknown/zip-archive": {
    check: "format",
    severity: "error",
    meaning:
      "An unrecognised file holding a zip archive whose members were not analysed; torch.load opens it whatever precedes it.",
  },
  "secrets/not-fully-scanned": {
    check: "secrets",
    severity: "suspicious",
    meaning:
      "Part of a text was not checked for secrets: a compressed member whose text is larger than the 16 MB read, or a text or file past the check's character limits. The file's own bytes are always read whole. Never a silent safe.",
  },
  "secrets/too-many-findings": {
    check: "secrets",
    severity: "info",
    meaning: "More secrets than are listed one by one.",
  },
  "malware/infected": {
    check: "malware",
    severity: "dangerous",
    meaning: "ClamAV found a signature (named in the finding).",
  },
  "malware/not-scanned": {
    check: "malware",
    severity: "suspicious",
    meaning: "The file was not sent to ClamAV (larger than clamd accepts).",
  },
  "malware/scan-failed": { check: "malware", severity: "error", meaning: "ClamAV could not scan the file." },
};

/** Container rules carry their severity at the end of their meaning: `(error)`, `(suspicious; ...)`. */
function containerRule(meaning: string): RuleInfo {
  const said = /\((error|suspicious|dangerous|info)\)\.?$/.exec(meaning);
  return { check: "format", severity: said ? (said[1] as Severity) : "varies", meaning };
}

/** Each secret detector reports `secrets/<id>`, with its own severity. */
function detectorRules(): Record<string, RuleInfo> {
  const out: Record<string, RuleInfo> = {};
  for (const d of SECRET_DETECTORS) {
    out[`secrets/${d.id}`] = { check: "secrets", severity: d.severity, meaning: `A leaked ${d.title}.` };
  }
  return out;
}

export const RULES: Readonly<Record<string, RuleInfo>> = Object.freeze({
  ...RULES_OF_CHECKS,
  ...Object.fromEntries(Object.entries(CONTAINER_RULES).map(([id, meaning]) => [id, containerRule(meaning)])),
  ...detectorRules(),
});

/** Ids once used and retired: never to be used again, for any meaning. */
export const RETIRED_RULES: readonly string[] = [...RETIRED_CONTAINER_RULES];
