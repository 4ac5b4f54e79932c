import { configureMalware, type MalwareSetup } from "@modelgate/clamav";
import { type Policy, pickleCheck, type ScanCheck, secretsCheck, type UserPolicy } from "@modelgate/scanner";
import { policyFrom } from "./load-policy.js";

/**
 * What `modelgate scan` was asked to do, as plain data: read once from the flags and files on the
 * main thread (where mistakes become usage errors), then handed to every scan worker, which builds
 * the same checks from it.
 */
export interface ScanSetup {
  /** The `--policy` file, parsed; the built-in policy without it. */
  policy?: UserPolicy;
  secrets: boolean;
  /** Fingerprints of accepted secrets findings. */
  secretsIgnore: string[];
  /** The clamd address (`unix:/path`, `tcp://host:port`); no malware check without it. */
  clamd?: string;
  clamdMaxBytes: number;
}

/** The scan's policy and checks, and the malware setup (its summary line), from a setup. */
export function scanChecksFor(setup: ScanSetup): {
  policy?: Policy;
  checks: ScanCheck[];
  malware: MalwareSetup;
} {
  const checks: ScanCheck[] = [pickleCheck];
  if (setup.secrets) checks.push(secretsCheck({ ignore: setup.secretsIgnore }));
  const malware = configureMalware(setup.clamd, { maxStreamBytes: setup.clamdMaxBytes });
  checks.push(...malware.checks);
  return { ...(setup.policy ? { policy: policyFrom(setup.policy) } : {}), checks, malware };
}
