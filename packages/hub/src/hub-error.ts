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
  | "GatedRepo"
  | "RepoMoved"
  | "Conflict"
  | "TooManyAttempts"
  | "TwoFactorRequired"
  | "NotImplemented"
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
    /** Fields the Hub answers at the top level of this error's body (the 409 of create_repo has `url`). */
    readonly fields?: Record<string, unknown>,
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

/**
 * A repository that was renamed or transferred (`move_repo`): answered as a 307 to the same URL
 * under the new name, as the Hub does, so both clients follow it (Python's downloads follow only
 * relative redirects: the `Location` is a path).
 */
export class RepoMovedError extends HubError {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(307, "RepoMoved", `Repository ${from} moved to ${to}`, { movedTo: to });
  }

  /** `url` (a request path) with the old name replaced by the new one. */
  location(url: string): string {
    const escaped = this.from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return url.replace(new RegExp(`/${escaped}(?=/|\\.git|\\?|$)`), `/${this.to}`);
  }
}
