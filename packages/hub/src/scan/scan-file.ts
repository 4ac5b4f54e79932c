import { configureMalware } from "@modelgate/clamav";
import { FileSource } from "@modelgate/node";
import {
  type FileReport,
  MemorySource,
  pickleCheck,
  type ScanCheck,
  scanSource,
  secretsCheck,
} from "@modelgate/scanner";
import type { ScanJob } from "./scan-job.js";

/** Checks per clamd setting, built once per thread (the malware check keeps its daemon client). */
const checksByClamd = new Map<string, ScanCheck[]>();

function checksFor(clamd: string | undefined): ScanCheck[] {
  const key = clamd ?? "";
  let checks = checksByClamd.get(key);
  if (!checks) {
    checks = [pickleCheck, secretsCheck(), ...configureMalware(clamd).checks];
    checksByClamd.set(key, checks);
  }
  return checks;
}

/**
 * Scans one job's content with every format and every check the hub runs on pushes: pickle and
 * formats, secrets, and malware when the job names a clamd.
 */
export async function scanFile(job: ScanJob): Promise<FileReport> {
  const options = { checks: checksFor(job.clamd) };
  if (job.bytes) return scanSource(new MemorySource(job.bytes), job.name, options);
  if (job.file === undefined) throw new Error("scan job has neither bytes nor a file");
  const source = await FileSource.open(job.file);
  try {
    return await scanSource(source, job.name, options);
  } finally {
    await source.close();
  }
}
