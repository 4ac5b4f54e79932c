import { escapeControl, percentEncodeControl } from "./escape-control.js";
import type { Finding, ScanReport } from "./types.js";

const LEVEL: Record<Finding["severity"], "error" | "warning" | "note"> = {
  dangerous: "error",
  error: "error",
  suspicious: "warning",
  info: "note",
};

/**
 * SARIF 2.1.0 for code-scanning tools: one result per finding, rules named by their stable ids,
 * byte offsets as `byteOffset` regions (members of containers named in the message and properties).
 */
export function renderSarif(report: ScanReport, toolVersion: string): object {
  const rules = new Map<string, { id: string; shortDescription: { text: string } }>();
  const results: object[] = [];
  for (const file of report.files) {
    for (const f of file.findings) {
      if (!rules.has(f.rule))
        rules.set(f.rule, { id: f.rule, shortDescription: { text: `${f.check}: ${f.rule}` } });
      const region: Record<string, number> = {};
      // In a notebook, line and column count within a cell, not the file: kept in properties only.
      const inCell = f.location?.cell !== undefined;
      if (f.location?.line !== undefined && !inCell) region.startLine = f.location.line;
      if (f.location?.column !== undefined && !inCell) region.startColumn = f.location.column;
      if (f.location?.offset !== undefined && f.location.member === undefined)
        region.byteOffset = f.location.offset;
      results.push({
        ruleId: f.rule,
        level: LEVEL[f.severity],
        // Viewers show message text as it is: control characters in names are escaped first.
        message: {
          text: escapeControl(f.location?.member ? `${f.message} (in ${f.location.member})` : f.message),
        },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: percentEncodeControl(file.path.split("\\").join("/")) },
              ...(Object.keys(region).length > 0 ? { region } : {}),
            },
          },
        ],
        properties: {
          verdict: file.verdict,
          check: f.check,
          ...(f.location ? { location: f.location } : {}),
        },
      });
    }
  }
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "modelgate",
            version: toolVersion,
            informationUri: "https://github.com/modelgate/modelgate",
            rules: [...rules.values()],
          },
        },
        results,
      },
    ],
  };
}
