import type { PolicyRule } from "@modelgate/scanner";

/** Rules the tests generate signatures from (the default table may change; these do not). */
export const TEST_RULES: PolicyRule[] = [
  { module: "os", name: "system", safety: "dangerous", reason: "runs a shell command" },
  { module: "posix", name: "system", safety: "dangerous", reason: "runs a shell command" },
  { module: "subprocess", name: "*", safety: "dangerous", reason: "runs programs" },
  { module: "nt", name: "*", safety: "dangerous", reason: "os on Windows" },
  { module: "dill", name: "*", safety: "dangerous", reason: "rebuilds functions from code" },
  { module: "builtins", name: "eval", safety: "dangerous", reason: "evaluates code" },
  { module: "collections", name: "OrderedDict", safety: "innocuous" },
];

/**
 * The EICAR anti-virus test file (https://www.eicar.org/download-anti-malware-testfile/), put
 * together at run time so this source file is not itself detected by scanners on a developer's machine.
 */
export function eicar(): Uint8Array {
  const parts = ["X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS", "-TEST-FILE!$H+H*"];
  return new TextEncoder().encode(parts.join(""));
}

/** Bytes from a latin-1 string (one byte per char): how the pickle fixtures are spelled here. */
export function bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0) & 0xff);
}

/** Protocol 0: `cos\nsystem\n(S'true'\ntR.`, the classic hand-written payload. */
export const PICKLE_P0_OS_SYSTEM = bytes("cos\nsystem\n(S'true'\ntR.");

/** Protocol 2, as Python 3 writes `builtins.eval` (Python 2 name) after a PROTO header. */
export const PICKLE_P2_EVAL = bytes("\x80\x02c__builtin__\neval\nq\0X\x04\0\0\0true\x85R.");

/** Protocol 4: SHORT_BINUNICODE os, MEMOIZE, SHORT_BINUNICODE system, MEMOIZE, STACK_GLOBAL. */
export const PICKLE_P4_OS_SYSTEM = bytes(
  "\x80\x04\x8c\x02os\x94\x8c\x06system\x94\x93\x94\x8c\x04true\x94\x85\x94R\x94.",
);

/** Protocol 4 with BINUNICODE (X) strings and BINPUT memo ops instead of the usual forms. */
export const PICKLE_P4_BINPUT_POSIX_SYSTEM = bytes(
  "\x80\x04X\x05\0\0\0posixq\0X\x06\0\0\0systemq\x01\x93\x8c\x04true\x85R.",
);

/** Protocol 4 importing `subprocess.Popen`: only the `subprocess.*` wildcard rule matches. */
export const PICKLE_P4_SUBPROCESS = bytes(
  "\x80\x04\x8c\x0asubprocess\x94\x8c\x05Popen\x94\x93\x8c\x04true\x85R.",
);

/** Protocol 4, as dill writes a function: `dill._dill._create_function`, a submodule of `dill`. */
export const PICKLE_P4_DILL_SUBMODULE = bytes(
  "\x80\x04\x8c\x0adill._dill\x94\x8c\x10_create_function\x94\x93\x94)R.",
);

/** A benign protocol-4 pickle: `collections.OrderedDict()`. */
export const PICKLE_P4_BENIGN = bytes("\x80\x04\x8c\x0bcollections\x94\x8c\x0bOrderedDict\x94\x93)R.");

/** A vocabulary-like text where `cnt\nfoo\n` looks like GLOBAL `nt.foo`: the wildcard anchor must not flag it. */
export const VOCABULARY_TEXT = bytes("[PAD]\nacos\nsin\ncnt\nfoo\nsubprocess\nrun\n");
