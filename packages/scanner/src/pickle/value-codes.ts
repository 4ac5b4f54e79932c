/**
 * The codes of the pickle machine's symbolic values: `code = payload * 8 + tag`, so the hot loop
 * allocates nothing per opcode. Atoms are fixed codes; ints small enough are inline; strings,
 * objects and containers are indices into the `ValueStore` that made them. Kept apart from the store
 * so that readers of values (the machine, loader hooks, rendering) share one definition of the codes.
 */

export const TAG_ATOM = 0;
export const TAG_INT = 1;
export const TAG_STR = 2;
export const TAG_BYTES = 3;
export const TAG_OBJ = 4;
/** Containers (tuple, list, dict, set, frozenset), kept in typed arrays: streams make millions. */
export const TAG_CONTAINER = 5;

/** Atoms: values whose identity does not matter to the analysis. */
export const ANY = 1 * 8;
export const NONE = 2 * 8;
export const TRUE = 3 * 8;
export const FALSE = 4 * 8;
export const FLOAT = 5 * 8;
export const BIGINT = 6 * 8;
/** A string past the arena budget: its text is unknown. */
export const OPAQUE_STR = 7 * 8;
export const OPAQUE_BYTES = 8 * 8;
export const BUFFER = 9 * 8;
/** A container past the tracking budget. */
export const OPAQUE_CONTAINER = 10 * 8;
/** A call result past the tracking budget. */
export const OPAQUE_RESULT = 11 * 8;

const SMALL_INT_LIMIT = 2 ** 27;

/** The code of an int: inline when it fits in the payload bits, else the opaque BIGINT atom. */
export function intCode(value: number): number {
  return value > -SMALL_INT_LIMIT && value < SMALL_INT_LIMIT ? value * 8 + TAG_INT : BIGINT;
}

export const tagOf = (code: number): number => code & 7;
export const payloadOf = (code: number): number => code >> 3;

/** The containers a pickle builds. */
export type ContainerKind = "tuple" | "list" | "dict" | "set" | "frozenset";

/** A value kept in the object table (`TAG_OBJ`), or a snapshot of a container. */
export type PickleObject =
  | { k: "global"; module: string; name: string; offset: number }
  | { k: "call"; callee: number; args: number; op: string; offset: number }
  | { k: ContainerKind; items: number[]; total: number }
  | { k: "persid"; pid: number };
