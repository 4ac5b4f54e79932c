/**
 * The JSON shapes of a file's security status, as the hub answers them and the web pages read them.
 * Types only: the web package imports them (`@modelgate/hub/security-status-types`) without bundling
 * any of the server.
 */
import type { Finding, ImportSafety } from "@modelgate/scanner";

/** A file's security status word, as shown per file (the Hub's words plus `secret`). */
export type FileStatus =
  | "unscanned"
  | "queued"
  | "scanning"
  | "safe"
  | "suspicious"
  | "unsafe"
  | "infected"
  | "secret"
  | "error";

/** `securityFileStatus` of a tree entry, in the Hub's shape plus `secretsScan` and `verdict`. */
export interface SecurityFileStatus {
  status: FileStatus;
  avScan: { virusFound: boolean; virusNames: string[] | null } | null;
  pickleImportScan: {
    highestSafetyLevel: ImportSafety;
    imports: { module: string; name: string; safety: ImportSafety }[];
  } | null;
  secretsScan: { secretsFound: boolean; findings: RedactedSecret[] } | null;
  message?: string;
  /** What produced this result (absent for results stored before the hub recorded it). */
  scannedWith?: ScanIdentity;
  /**
   * True while a background rescan (a new scanner, policy or ClamAV database) is pending: the status
   * above is the stored result, in force until the rescan replaces it.
   */
  rescanPending?: true;
}

/**
 * What produced a scan result. Stored with every result; when the hub's current identity differs
 * from a result's, that result is stale and is rescanned in the background.
 */
export interface ScanIdentity {
  /** `SCANNER_VERSION` of the scanner that ran. */
  scannerVersion: string;
  /** `sha256:<hex>` of the import policy applied: the hub's policy file's rules and the built-in table it inherits. */
  policyDigest: string;
  /**
   * clamd's engine and official database version (`ClamAV 1.4.6/27490`) when the hub scans for
   * malware; `unavailable` when the daemon did not answer VERSION (files scanned then are rescanned
   * once it answers); "" without clamd.
   */
  clamav: string;
}

/** A secret finding as the hub shows it: detector, where, redacted preview, fingerprint. */
export interface RedactedSecret {
  rule: string;
  message: string;
  location?: Finding["location"];
  data?: Finding["data"];
}
