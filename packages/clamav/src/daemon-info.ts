import { CLAMAV_SIGNATURE_PREFIX, MemorySource } from "@modelgate/scanner";
import { formatClamdAddress } from "./clamd-address.js";
import type { ClamdClient } from "./clamd-client.js";
import type { ClamdVersion } from "./clamd-reply.js";

/**
 * What the report summary says about the daemon. clamd's protocol has no command that reports how
 * many signatures it loaded (VERSIONCOMMANDS lists none), so the summary gives the engine and
 * database versions, and whether the ModelGate pickle signatures answer a probe.
 */
export interface ClamdDaemonInfo {
  address: string;
  version?: ClamdVersion;
  /** Undefined when not probed or when the probe failed. */
  modelgateSignatures?: boolean;
  /** Why the daemon could not be asked. */
  error?: string;
}

/**
 * A protocol-0 pickle that calls `os.system` (`cos\nsystem\n.`, never loaded anywhere): the
 * generated database flags it through both the `os.system` and the `os.*` forms of the rule.
 */
const PROBE_PICKLE = new TextEncoder().encode("cos\nsystem\n.");

/** Asks VERSION and, when `probe` is set, scans the probe pickle. Never rejects. */
export async function probeDaemon(client: ClamdClient, probe: boolean): Promise<ClamdDaemonInfo> {
  const info: ClamdDaemonInfo = { address: formatClamdAddress(client.address) };
  try {
    info.version = await client.version();
  } catch (err) {
    info.error = err instanceof Error ? err.message : String(err);
    return info;
  }
  if (probe) {
    const reply = await client.scan(new MemorySource(PROBE_PICKLE));
    if (reply.kind === "clean") info.modelgateSignatures = false;
    if (reply.kind === "found")
      info.modelgateSignatures = reply.signature.startsWith(CLAMAV_SIGNATURE_PREFIX);
  }
  return info;
}

/** `malware: ClamAV 1.4.6 (database 27490, Tue Nov 25 07:36:02 2026) at unix:/run/clamd.sock, ...`. */
export function describeDaemon(info: ClamdDaemonInfo): string {
  if (!info.version) return `malware: clamd at ${info.address} unavailable (${info.error ?? "no answer"})`;
  const { engine, databaseVersion, databaseDate } = info.version;
  const database =
    databaseVersion === undefined
      ? " (no official database)"
      : ` (database ${databaseVersion}${databaseDate ? `, ${databaseDate}` : ""})`;
  const ml =
    info.modelgateSignatures === undefined
      ? ""
      : info.modelgateSignatures
        ? ", ModelGate pickle signatures loaded"
        : ", ModelGate pickle signatures not loaded (see `modelgate clamav-signatures`)";
  return `malware: ${engine}${database} at ${info.address}${ml}`;
}
