import { callFedBy } from "./call-fed-by.js";
import { escapeControl } from "./escape-control.js";
import { formatLocation } from "./location.js";
import type { FileReport, ScanReport } from "./types.js";

const LABEL: Record<FileReport["verdict"], string> = {
  safe: "SAFE",
  suspicious: "SUSPICIOUS",
  error: "ERROR",
  dangerous: "DANGEROUS",
};

/**
 * People's view: one line per file with its verdict, then what made it so, then a summary. Every
 * line is built from names and messages of the scanned files, so control characters in them are
 * escaped: a file name cannot forge a line or send escape sequences to the terminal.
 */
export function renderText(report: ScanReport): string {
  const lines: string[] = [];
  for (const file of report.files) {
    const what = file.format === "unknown" ? "unknown format (not analysed for code)" : file.format;
    lines.push(`${LABEL[file.verdict].padEnd(10)} ${file.path}  [${what}]`);
    for (const imp of file.imports) {
      if (imp.safety === "innocuous") continue;
      const call = callFedBy(imp, file.calls);
      const shown = call ? `${call.callable}${call.args}` : `${imp.module}.${imp.name}`;
      lines.push(
        `    ${imp.safety} import ${shown}  at ${formatLocation(imp.location)}${imp.reason ? `  (${imp.reason})` : ""}`,
      );
    }
    for (const f of file.findings) {
      if (f.rule === "pickle/dangerous-import" || f.rule === "pickle/suspicious-import") continue;
      if (f.severity === "info") continue;
      const loc = formatLocation(f.location);
      lines.push(`    ${f.severity} ${f.check}: ${f.message}${loc ? `  at ${loc}` : ""}`);
    }
    if (file.av && file.av.status !== "clean") {
      lines.push(
        `    malware: ${file.av.status}${file.av.signatures.length ? ` ${file.av.signatures.join(", ")}` : ""}`,
      );
    }
  }
  const v = report.summary.verdicts;
  lines.push("");
  lines.push(
    `${report.summary.files} files: ${v.safe} safe, ${v.suspicious} suspicious, ${v.dangerous} dangerous, ${v.error} error`,
  );
  for (const note of report.summary.notes) lines.push(note);
  return `${lines.map(escapeControl).join("\n")}\n`;
}
