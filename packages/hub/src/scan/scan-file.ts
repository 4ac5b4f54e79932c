import { configureMalware } from "@modelgate/clamav";
import { FileSource } from "@modelgate/node";
import {
  createPolicy,
  DEFAULT_RULES,
  type FileReport,
  MemorySource,
  type Policy,
  pickleCheck,
  type ScanCheck,
  scanSource,
  secretsCheck,
  type UserPolicy,
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

/** The last policy compiled in this thread (a hub runs one policy; a new one replaces it). */
let compiled: { source: UserPolicy; policy: Policy } | undefined;

/** The job's policy compiled (the built-in table when the job has none). */
function policyFor(user: UserPolicy | undefined): Policy | undefined {
  if (!user) return undefined;
  if (compiled?.source !== user && JSON.stringify(compiled?.source) !== JSON.stringify(user)) {
    compiled = { source: user, policy: createPolicy(user.inherit ? DEFAULT_RULES : [], user.rules) };
  }
  return compiled?.policy;
}

/**
 * Scans one job's content with every format and every check the hub runs on pushes: pickle and
 * formats, secrets, and malware when the job names a clamd.
 */
export async function scanFile(job: ScanJob): Promise<FileReport> {
  const policy = policyFor(job.policy);
  const options = { checks: checksFor(job.clamd), ...(policy ? { policy } : {}) };
  if (job.bytes) return scanSource(new MemorySource(job.bytes), job.name, options);
  if (job.file === undefined) throw new Error("scan job has neither bytes nor a file");
  const source = await FileSource.open(job.file);
  try {
    return await scanSource(source, job.name, options);
  } finally {
    await source.close();
  }
}
