import type { TextFragment } from "../formats/format-parser.js";
import type { Limits } from "../limits.js";
import type { PickleAnalysis } from "../pickle/types.js";
import type { Policy } from "../policy/policy.js";
import type { ByteSource, ByteSpan } from "../reader/byte-source.js";
import type { AvResult, CallRecord, CheckId, Finding, FormatId, ImportRecord } from "../report/types.js";

/** Everything the parsers collected about one top-level file, handed to every check. */
export interface CheckInput {
  path: string;
  format: FormatId;
  source: ByteSource;
  pickles: readonly PickleAnalysisAt[];
  texts: readonly TextFragment[];
  policy: Policy;
  limits: Limits;
  /**
   * Ranges of the file that are tensor data of a validated layout (safetensors data, stored
   * PyTorch storages): numbers to every loader. The secrets check does not read them.
   */
  tensorData?: readonly ByteSpan[];
}

/** A pickle analysis and the member it was found in (undefined for a top-level pickle). */
export interface PickleAnalysisAt {
  analysis: PickleAnalysis;
  member: string | undefined;
}

export interface CheckOutput {
  findings?: Finding[];
  imports?: ImportRecord[];
  calls?: CallRecord[];
  av?: AvResult;
}

/** A check runs once per top-level file, after its formats are parsed. */
export interface ScanCheck {
  readonly id: CheckId;
  run(input: CheckInput): Promise<CheckOutput> | CheckOutput;
}
