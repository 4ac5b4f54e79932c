import { AI_DETECTORS } from "./detectors/ai-detectors.js";
import { AWS_DETECTORS } from "./detectors/aws-detectors.js";
import { CLOUD_DETECTORS } from "./detectors/cloud-detectors.js";
import { CODE_HOSTING_DETECTORS } from "./detectors/code-hosting-detectors.js";
import { databaseUrl } from "./detectors/database-url.js";
import { genericSecret } from "./detectors/generic-secret.js";
import { googleServiceAccount } from "./detectors/google-service-account.js";
import { KEY_DETECTORS } from "./detectors/key-detectors.js";
import { SERVICE_DETECTORS } from "./detectors/service-detectors.js";
import type { SecretDetector } from "./secret-detector.js";

/**
 * Every built-in detector, in priority order: when two matches overlap, the earlier detector's is
 * kept (a service-account key file rather than its private key, an OpenAI key rather than a generic
 * `api_key=` assignment).
 */
export const SECRET_DETECTORS: readonly SecretDetector[] = [
  googleServiceAccount,
  ...AI_DETECTORS,
  ...CODE_HOSTING_DETECTORS,
  ...AWS_DETECTORS,
  ...CLOUD_DETECTORS,
  ...SERVICE_DETECTORS,
  ...KEY_DETECTORS,
  databaseUrl,
  genericSecret,
];
