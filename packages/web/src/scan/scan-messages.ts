import type { FileReport } from "@modelgate/scanner";

/** What the scan worker answers: the report, or why the scan could not run. */
export type ScanReply = { ok: true; report: FileReport } | { ok: false; message: string };
