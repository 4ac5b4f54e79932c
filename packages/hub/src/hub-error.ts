/** The Hub's `X-Error-Code` values that clients read, plus modelgate's own. */
export type HubErrorCode =
  | "RepoNotFound"
  | "RevisionNotFound"
  | "EntryNotFound"
  | "RepoExists"
  | "InvalidRepoName"
  | "InvalidPath"
  | "InvalidInput"
  | "Unauthorized"
  | "Forbidden"
  | "ParentCommitMismatch"
  | "LfsObjectNotFound"
  | "LfsHashMismatch"
  | "PayloadTooLarge"
  | "RangeNotSatisfiable"
  | "BlockedByPolicy"
  | "FileQuarantined"
  | "Conflict"
  | "TooManyAttempts"
  | "TwoFactorRequired"
  | "InternalError";

/**
 * An error answered to the client as `{statusCode, code, error, message}` with `X-Error-Code: code`.
 * `error` repeats the message because the Hugging Face clients show `error` from the JSON body.
 */
export class HubError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: HubErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "HubError";
  }
}

/** 404 `RepoNotFound`. */
export const repoNotFound = (): HubError =>
  // Same answer for a private repository the caller may not see, so its existence does not leak.
  new HubError(404, "RepoNotFound", "Repository not found");

/** 404 `RevisionNotFound`. */
export const revisionNotFound = (rev: string): HubError =>
  new HubError(404, "RevisionNotFound", `Invalid rev id: ${rev}`);

/** 404 `EntryNotFound`. */
export const entryNotFound = (path: string): HubError =>
  new HubError(404, "EntryNotFound", `Entry not found: ${path}`);

/** 400 `InvalidInput`. */
export const badInput = (message: string, details?: Record<string, unknown>): HubError =>
  new HubError(400, "InvalidInput", message, details);
