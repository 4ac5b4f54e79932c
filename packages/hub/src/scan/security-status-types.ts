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
}

/** A secret finding as the hub shows it: detector, where, redacted preview, fingerprint. */
export interface RedactedSecret {
  rule: string;
  message: string;
  location?: Finding["location"];
  data?: Finding["data"];
}
