/** What clamd answered to one INSTREAM. */
export type ClamdScanReply =
  | { kind: "clean" }
  | { kind: "found"; signature: string }
  /** The daemon refused the stream: it is longer than its StreamMaxLength. */
  | { kind: "too-large"; message: string }
  | { kind: "error"; message: string };

/**
 * Parses an INSTREAM reply (`stream: OK`, `stream: Eicar-Signature FOUND`,
 * `INSTREAM size limit exceeded. ERROR`, `... ERROR`), without its NUL terminator.
 * See clamd(8), "INSTREAM".
 */
export function parseScanReply(reply: string): ClamdScanReply {
  const text = reply.trim();
  if (/^(?:stream: )?OK$/.test(text)) return { kind: "clean" };
  const found = /^(?:stream: )?(.+) FOUND$/.exec(text);
  if (found?.[1] !== undefined) return { kind: "found", signature: found[1] };
  if (/size limit exceeded/i.test(text)) return { kind: "too-large", message: text };
  return { kind: "error", message: text.length > 0 ? text : "empty reply" };
}

/** Engine and database versions from a VERSION reply. */
export interface ClamdVersion {
  /** `ClamAV 1.4.6`: the reply's first field. */
  engine: string;
  /** Version of the official daily database; absent when the daemon loads none (custom databases only). */
  databaseVersion?: number;
  /** Build date of that database, as clamd prints it. */
  databaseDate?: string;
}

/** Parses `ClamAV 1.4.6/27490/Tue Nov 25 07:36:02 2026` or a bare `ClamAV 1.4.6`. */
export function parseVersionReply(reply: string): ClamdVersion {
  const [engine = "", database, date] = reply.trim().split("/");
  const version: ClamdVersion = { engine };
  const n = Number(database);
  if (database !== undefined && Number.isSafeInteger(n)) version.databaseVersion = n;
  if (date !== undefined && date.length > 0) version.databaseDate = date;
  return version;
}
