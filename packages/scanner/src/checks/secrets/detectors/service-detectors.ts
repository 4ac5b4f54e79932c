import { base64Bytes, latin1 } from "../base64-bytes.js";
import { contextPattern } from "../context-pattern.js";
import { regexDetector, tokenPattern } from "../regex-detector.js";
import type { SecretDetector } from "../secret-detector.js";

/** Messaging, e-mail and payment services: bot tokens, webhooks, API keys. */
export const SERVICE_DETECTORS: readonly SecretDetector[] = [
  regexDetector({
    id: "slack-token",
    title: "Slack token",
    severity: "dangerous",
    keywords: ["xox", "xapp-"],
    // Bot, user, app-level and configuration tokens; the numeric segments are team/user ids.
    pattern: tokenPattern(
      "xoxb-[0-9]{8,14}-[0-9]{8,14}-[A-Za-z0-9]{24}" +
        "|xoxp-[0-9]{8,14}-[0-9]{8,14}-[0-9]{8,14}-[a-f0-9]{32}" +
        "|xapp-1-[A-Z0-9]{9,12}-[0-9]{10,14}-[a-f0-9]{64}" +
        "|xoxe(?:\\.xox[bp])?-1-[A-Za-z0-9]{140,180}",
    ),
    minEntropy: 3.5,
  }),
  regexDetector({
    id: "slack-webhook",
    title: "Slack incoming webhook URL",
    severity: "dangerous",
    keywords: ["hooks.slack.com/"],
    pattern:
      /https:\/\/hooks\.slack\.com\/(?:services\/T[A-Z0-9]{8,12}\/B[A-Z0-9]{8,12}|workflows\/T[A-Z0-9]{8,12}\/A[A-Z0-9]{8,12}\/[0-9]{15,20})\/[A-Za-z0-9]{24}(?![A-Za-z0-9])/g,
  }),
  regexDetector({
    id: "discord-bot-token",
    title: "Discord bot token",
    severity: "dangerous",
    // base64 of the id's first two digits: "1x" is "MT", "2x" "Mj", … "9x" "OT".
    keywords: ["MT", "Mj", "Mz", "ND", "NT", "Nj", "Nz", "OD", "OT"],
    // base64url(user id) . base64url(timestamp) . HMAC; the first part must decode to a snowflake id.
    pattern: tokenPattern("(?<id>[MNO][A-Za-z0-9_-]{23,27})\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}"),
    minEntropy: 4,
    verify: (_s, g) => {
      const bytes = base64Bytes(g.id ?? "");
      return bytes !== undefined && /^[1-9][0-9]{16,19}$/.test(latin1(bytes));
    },
  }),
  regexDetector({
    id: "discord-webhook",
    title: "Discord webhook URL",
    severity: "dangerous",
    keywords: ["/api/webhooks/"],
    pattern:
      /https:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/webhooks\/[0-9]{17,20}\/[A-Za-z0-9_-]{60,68}(?![A-Za-z0-9_-])/g,
  }),
  regexDetector({
    id: "telegram-bot-token",
    title: "Telegram bot token",
    severity: "dangerous",
    keywords: [":AA"],
    // bot id : 35-character secret that starts with `AA`.
    pattern: /:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g,
    before: /(?<![A-Za-z0-9_:])(?<lead>[1-9][0-9]{7,10})$/,
    minEntropy: 3.8,
  }),
  regexDetector({
    id: "sendgrid-api-key",
    title: "SendGrid API key",
    severity: "dangerous",
    keywords: ["SG."],
    pattern: tokenPattern("SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}"),
    minEntropy: 4,
  }),
  regexDetector({
    id: "twilio-auth-token",
    title: "Twilio auth token",
    severity: "dangerous",
    contextual: true,
    keywords: ["twilio", "TWILIO", "Twilio"],
    pattern: contextPattern(["twilio"], "[a-f0-9]{32}"),
    minEntropy: 3,
    verify: (_s, g) => /token|secret|auth/i.test(g.key ?? ""),
  }),
  regexDetector({
    id: "stripe-live-key",
    title: "Stripe live secret or restricted key",
    severity: "dangerous",
    keywords: ["_live_"],
    // Test-mode keys (`sk_test_`) are not credentials for real money and are not reported.
    pattern: tokenPattern("(?:sk|rk)_live_[A-Za-z0-9]{24,99}"),
    minEntropy: 3.8,
  }),
];
