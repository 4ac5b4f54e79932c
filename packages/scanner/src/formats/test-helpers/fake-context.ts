import { resolveLimits } from "../../limits.js";
import type { PickleAnalysis } from "../../pickle/types.js";
import { type ByteSource, readFully } from "../../reader/byte-source.js";
import type { Finding, FormatId } from "../../report/types.js";
import type { ParseContext, TextFragment } from "../format-parser.js";

/** A member handed to `scanMember`, with its bytes. */
export interface ScannedMember {
  name: string;
  bytes: Uint8Array;
  hint: FormatId | undefined;
}

/** A ParseContext that records what a parser reports, for unit tests of one parser. */
export function fakeContext(overrides = {}): ParseContext & {
  findings: Finding[];
  members: ScannedMember[];
  infos: Record<string, unknown>;
  pickles: PickleAnalysis[];
  texts: TextFragment[];
} {
  const findings: Finding[] = [];
  const members: ScannedMember[] = [];
  const infos: Record<string, unknown> = {};
  const pickles: PickleAnalysis[] = [];
  const texts: TextFragment[] = [];
  return {
    member: undefined,
    claims: undefined,
    name: undefined,
    depth: 0,
    limits: resolveLimits(overrides),
    findings,
    members,
    infos,
    pickles,
    texts,
    finding: (f) => findings.push(f),
    pickle: (a) => pickles.push(a),
    text: (t) => texts.push(t),
    tensorData: () => {},
    info: (k, v) => {
      infos[k] = v;
    },
    async scanMember(name: string, source: ByteSource, hint?: FormatId) {
      members.push({ name, bytes: (await readFully(source, 0, source.size)).slice(), hint });
      return hint ?? "unknown";
    },
  };
}
