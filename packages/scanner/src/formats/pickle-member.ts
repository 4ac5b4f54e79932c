import type { PickleAnalysis } from "../pickle/types.js";
import type { ByteSource } from "../reader/byte-source.js";
import type { ParseContext } from "./format-parser.js";
import { parsePickleStreams } from "./pickle/pickle-format.js";

/** Member names loaders unpickle, or that people give pickles (`data.pkl`, `model.pickle`). */
const PICKLE_NAME = /\.(pkl|pickle)$/i;
/** PROTO opcode. */
const PROTO = 0x80;
/** STOP opcode: the last byte of a pickle stream. */
const STOP = 0x2e;
/** Highest pickle protocol any Python reads. */
const HIGHEST_PROTOCOL = 5;

/** True for member names that hold pickles by convention. */
export function isPickleName(name: string): boolean {
  return PICKLE_NAME.test(name);
}

/**
 * True when a member's first two bytes and last byte look like a pickle of protocol 2 or later:
 * PROTO n ... STOP. Tensor data matches this by chance about once in 10^7 members, and is then only
 * analysed more than needed (the pickle parser declines what is not a pickle).
 */
export function looksLikeProtoPickle(head: Uint8Array, last: number | undefined): boolean {
  return (
    head.length >= 2 &&
    head[0] === PROTO &&
    (head[1] as number) >= 2 &&
    (head[1] as number) <= HIGHEST_PROTOCOL &&
    last === STOP
  );
}

/**
 * Analyses the pickle stream(s) that start at `start` of `source` (the data of a numpy object array,
 * the pickles of a legacy PyTorch file), reporting them through `ctx` with offsets in `source`.
 */
export async function scanPickleAt(source: ByteSource, ctx: ParseContext, start: number): Promise<void> {
  await parsePickleStreams(source, ctx, start);
}

/** Reports one analysed stream as the pickle parser does: to the pickle check and its strings to the secrets check. */
export function reportPickle(ctx: ParseContext, analysis: PickleAnalysis): void {
  ctx.pickle(analysis);
  for (const s of analysis.strings) ctx.text({ text: s.value, kind: "pickle-string", offset: s.offset });
}
