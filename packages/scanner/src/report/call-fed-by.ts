import type { CallRecord } from "./types.js";

/**
 * The call a pickle makes with an imported callable (the call the import "feeds"), if any: what a
 * reviewer wants beside a dangerous import (`os.system('curl ... | sh')`). BUILD records are the
 * instance's `__setstate__`, not a call of the import itself.
 */
export function callFedBy(
  imp: { module: string; name: string },
  calls: readonly CallRecord[],
): CallRecord | undefined {
  const name = `${imp.module}.${imp.name}`;
  return calls.find((c) => c.callable === name && c.opcode !== "BUILD");
}
