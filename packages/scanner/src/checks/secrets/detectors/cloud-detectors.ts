import { base64Bytes } from "../base64-bytes.js";
import { regexDetector, tokenPattern } from "../regex-detector.js";
import type { SecretDetector } from "../secret-detector.js";

/** Cloud and data-platform credentials (AWS and the Google service account have their own files). */
export const CLOUD_DETECTORS: readonly SecretDetector[] = [
  regexDetector({
    id: "google-api-key",
    title: "Google API key",
    severity: "dangerous",
    keywords: ["AIza"],
    pattern: tokenPattern("AIza[A-Za-z0-9_-]{35}"),
    minEntropy: 3.8,
  }),
  regexDetector({
    id: "google-oauth-client-secret",
    title: "Google OAuth client secret",
    severity: "dangerous",
    keywords: ["GOCSPX-"],
    pattern: tokenPattern("GOCSPX-[A-Za-z0-9_-]{28}"),
    minEntropy: 3.5,
  }),
  regexDetector({
    id: "azure-storage-key",
    title: "Azure storage account key",
    severity: "dangerous",
    keywords: ["AccountKey="],
    // Connection strings carry `AccountKey=` + the base64 of a 64-byte key (86 characters + `==`).
    pattern: /AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])/g,
    minEntropy: 4.5,
    verify: (s) => base64Bytes(s)?.length === 64,
  }),
  regexDetector({
    id: "databricks-token",
    title: "Databricks personal access token",
    severity: "dangerous",
    keywords: ["dapi"],
    pattern: tokenPattern("dapi[a-f0-9]{32}(?:-[0-9])?"),
    minEntropy: 3,
  }),
  regexDetector({
    id: "digitalocean-token",
    title: "DigitalOcean token",
    severity: "dangerous",
    keywords: ["_v1_"],
    pattern: tokenPattern("do[opr]_v1_[a-f0-9]{64}"),
    minEntropy: 3.3,
  }),
];
