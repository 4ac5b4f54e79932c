import { fileVerdict, renderSarif, renderText, type ScanReport } from "@modelgate/scanner";
import { type PayloadImport, payloadBeforeBreak } from "./oracle/payload-before-break.js";
import type { TargetResult } from "./scan-target.js";

const VERDICTS = new Set(["safe", "suspicious", "error", "dangerous"]);
const SEVERITIES = new Set(["info", "suspicious", "error", "dangerous"]);
/** C0 controls but newline, DEL, C1 controls: what lets a file name or member name forge report lines. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** A broken promise, named so failures of one kind group together. */
export interface Violation {
  invariant: string;
  message: string;
}

/**
 * The promises every scan keeps, whatever the input: a well-formed report whose verdict follows
 * from its findings; renderers that do not throw and print no control characters; a pickle analysis
 * cut short is never `safe`; and a payload import that a real unpickler reaches before the stream
 * breaks (found by an oracle that shares no code with the scanner) is never `safe`. `carried` is a
 * pickle an honest container around it hands to its loader, checked the same way.
 */
export function checkInvariants(input: Uint8Array, result: TargetResult, carried?: Uint8Array): Violation[] {
  const out: Violation[] = [];
  const { report, analyses } = result;
  const fail = (invariant: string, message: string) => out.push({ invariant, message });

  if (!VERDICTS.has(report.verdict)) fail("report-shape", `verdict ${String(report.verdict)}`);
  if (typeof report.format !== "string" || report.format.length === 0) fail("report-shape", "no format");
  if (report.size !== input.length) fail("report-shape", `size ${report.size}, input ${input.length}`);
  if (!Array.isArray(report.findings) || !Array.isArray(report.imports) || !Array.isArray(report.calls))
    fail("report-shape", "findings, imports or calls missing");
  for (const f of report.findings ?? [])
    if (!SEVERITIES.has(f.severity) || typeof f.rule !== "string" || typeof f.message !== "string")
      fail("report-shape", `malformed finding ${JSON.stringify(f).slice(0, 200)}`);
  if (fileVerdict(report) !== report.verdict)
    fail("verdict-follows-findings", `verdict ${report.verdict}, findings say ${fileVerdict(report)}`);

  const whole: ScanReport = {
    version: 1,
    files: [report],
    summary: {
      files: 1,
      verdicts: { safe: 0, suspicious: 0, error: 0, dangerous: 0, [report.verdict]: 1 },
      notes: [],
    },
  };
  try {
    const json = JSON.stringify(whole);
    JSON.parse(json);
    const text = renderText(whole);
    const line = text.split("\n").find((l) => CONTROL.test(l));
    if (line !== undefined)
      fail("text-output-escaped", `control character in ${JSON.stringify(line.slice(0, 200))}`);
    const sarif = JSON.stringify(renderSarif(whole, "fuzz"));
    const messages = [...sarif.matchAll(/"text":"((?:[^"\\]|\\.)*)"/g)].map(
      (m) => JSON.parse(`"${m[1]}"`) as string,
    );
    const bad = messages.find((m) => CONTROL.test(m));
    if (bad !== undefined)
      fail("sarif-output-escaped", `control character in ${JSON.stringify(bad.slice(0, 200))}`);
  } catch (err) {
    fail("renders", err instanceof Error ? (err.stack ?? err.message) : String(err));
  }

  if (report.verdict === "safe") {
    if (analyses.some((a) => !a.complete)) fail("cut-analysis-not-safe", "a pickle analysis was cut short");
    const startsAsZip = ZIP_MAGIC.every((b, i) => input[i] === b);
    const raw = startsAsZip ? undefined : payloadBeforeBreak(input);
    if (raw)
      fail(payloadInvariant(raw), `${raw.module}.${raw.name} at @${raw.offset} is reached by pickle.load`);
    const inner = carried ? payloadBeforeBreak(carried) : undefined;
    if (inner)
      fail(
        payloadInvariant(inner),
        `${inner.module}.${inner.name} in the pickle an honest container carries`,
      );
  }
  return out;
}

/** Payloads reached only past a STOP inside a FRAME are their own class (issue 13 item 2). */
function payloadInvariant(found: PayloadImport): string {
  return found.afterFrameStop ? "payload-not-safe-after-frame-stop" : "payload-not-safe";
}
