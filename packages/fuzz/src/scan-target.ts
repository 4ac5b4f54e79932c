import {
  type FileReport,
  MemorySource,
  type PickleAnalysis,
  pickleCheck,
  type ScanCheck,
  scanSource,
  secretsCheck,
} from "@modelgate/scanner";

/** What one scan produced, for the invariants. */
export interface TargetResult {
  report: FileReport;
  /** Every pickle analysis the checks were given (to see which were cut short). */
  analyses: PickleAnalysis[];
}

/** The fuzz target: one input scanned as the CLI scans a file (pickle, formats, secrets). */
export type ScanTarget = (bytes: Uint8Array) => Promise<TargetResult>;

export const scanTarget: ScanTarget = async (bytes) => {
  const analyses: PickleAnalysis[] = [];
  const observe: ScanCheck = {
    id: "pickle", // an observer: it adds no findings, so the id it borrows never shows
    run: (input) => {
      for (const p of input.pickles) analyses.push(p.analysis);
      return {};
    },
  };
  const report = await scanSource(new MemorySource(bytes), "input.bin", {
    checks: [pickleCheck, secretsCheck(), observe],
  });
  return { report, analyses };
};
