import { FileSource } from "@modelgate/node";
import { type FileReport, MemorySource, scanSource } from "@modelgate/scanner";
import type { ScanJob } from "./scan-job.js";

/** Scans one job's content with the scanner's default formats and checks. */
export async function scanFile(job: ScanJob): Promise<FileReport> {
  if (job.bytes) return scanSource(new MemorySource(job.bytes), job.name);
  if (job.file === undefined) throw new Error("scan job has neither bytes nor a file");
  const source = await FileSource.open(job.file);
  try {
    return await scanSource(source, job.name);
  } finally {
    await source.close();
  }
}
