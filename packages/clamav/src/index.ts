// Public API of @modelgate/clamav: malware scanning through a ClamAV daemon (Node only).

export type { ClamdAddress } from "./clamd-address.js";
export { formatClamdAddress, parseClamdAddress } from "./clamd-address.js";
export type { ClamdClient, ClamdClientOptions } from "./clamd-client.js";
export { createClamdClient } from "./clamd-client.js";
export type { ClamdScanReply, ClamdVersion } from "./clamd-reply.js";
export { parseScanReply, parseVersionReply } from "./clamd-reply.js";
export { parseClamdSize } from "./clamd-size.js";
export type { MalwareSetup } from "./configure-malware.js";
export { configureMalware } from "./configure-malware.js";
export type { ClamdDaemonInfo } from "./daemon-info.js";
export { describeDaemon } from "./daemon-info.js";
export type { MalwareCheck, MalwareCheckOptions } from "./malware-check.js";
export {
  CLAMAV_MAX_FILE_BYTES,
  createMalwareCheck,
  DEFAULT_MAX_STREAM_BYTES,
  MALWARE_NOT_CONFIGURED,
} from "./malware-check.js";
export { writeClamavSignatures } from "./write-clamav-signatures.js";
