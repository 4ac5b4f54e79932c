// Public API of @modelgate/hub.

export type { HubOptions } from "./app.js";
export { buildApp } from "./app.js";
export type { AuditRecord } from "./auth/audit-record.js";
export { createToken } from "./auth/create-token.js";
export type { CreateUserOptions } from "./auth/create-user.js";
export { createUser } from "./auth/create-user.js";
export type { TokenListing } from "./auth/manage-offline.js";
export { listTokens, readAuditLog, revokeToken, setOrgRequire2fa } from "./auth/manage-offline.js";
export type { OrgPolicy } from "./auth/set-org-policy.js";
export { setOrgPolicy } from "./auth/set-org-policy.js";
export type { TokenScope } from "./auth/token-scopes.js";
export type { PushPolicy } from "./context.js";
export type { HubStorage } from "./db/open-database.js";
export type { HubErrorCode } from "./hub-error.js";
export { HubError } from "./hub-error.js";
export type { HubLimits } from "./limits.js";
export { DEFAULT_HUB_LIMITS } from "./limits.js";
export type { LogLevel } from "./plugins/request-log.js";
export { isLogLevel, LOG_LEVELS } from "./plugins/request-log.js";
export type { ScanJob, ScanRunner } from "./scan/scan-job.js";
export type { FileStatus, ScanIdentity, SecurityFileStatus } from "./scan/security-status.js";
export type { CommitVerification, VerificationReason } from "./signatures/commit-verification.js";
export {
  addUserSigningKey,
  deleteUserSigningKey,
  listUserSigningKeys,
  setOrgBranchRule,
  setUserEmail,
} from "./signatures/manage-signing-offline.js";
export type { SigningKeyInfo } from "./signatures/signing-keys.js";
export type { RunningHub, StartHubOptions } from "./start-hub.js";
export { startHub } from "./start-hub.js";
