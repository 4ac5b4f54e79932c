// Entry point of a scan worker thread (run by piscina): one job in, one report out.
import type { FileReport } from "@modelgate/scanner";
import { scanFile } from "./scan-file.js";
import type { ScanJob } from "./scan-job.js";

export default function scanInWorker(job: ScanJob): Promise<FileReport> {
  return scanFile(job);
}
