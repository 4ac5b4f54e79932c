import { base64Bytes, latin1 } from "../base64-bytes.js";
import { isValidBech32 } from "../bech32.js";
import { shannonEntropy } from "../entropy.js";
import { findPemBlocks, MAX_PEM_BLOCK_CHARS, type PemBlock } from "../pem-block.js";
import { regexDetector } from "../regex-detector.js";
import type { SecretDetector, SecretMatch } from "../secret-detector.js";

/** base64 of `openssh-key-v1\0`, the magic every OpenSSH private key body starts with. */
const OPENSSH_MAGIC = "b3BlbnNzaC1rZXktdjEA";

/**
 * True when a block's body is a real key and not `...` or `<your key here>`: long enough, base64
 * only, and varied (DER and OpenSSH bodies have runs of `A`, so no run check here).
 */
function isKeyBody(body: string): boolean {
  return body.length >= 64 && /^[A-Za-z0-9+/=]+$/.test(body) && shannonEntropy(body) >= 4.5;
}

/** The cipher an OpenSSH key body names (`none` when the key is not passphrase-protected). */
function opensshCipher(body: string): string | undefined {
  const bytes = base64Bytes(body.slice(0, 64).replace(/=+$/, "").slice(0, 60));
  if (!bytes || bytes.length < 19) return undefined;
  const len =
    ((bytes[15] ?? 0) << 24) | ((bytes[16] ?? 0) << 16) | ((bytes[17] ?? 0) << 8) | (bytes[18] ?? 0);
  if (len <= 0 || len > 32 || 19 + len > bytes.length) return undefined;
  return latin1(bytes.subarray(19, 19 + len));
}

function toMatch(block: PemBlock, encrypted: boolean): SecretMatch {
  const match: SecretMatch = { secret: block.body, start: block.start, end: block.end };
  if (encrypted) {
    match.severity = "suspicious";
    match.note = "passphrase-protected";
  }
  return match;
}

/** PEM private keys (PKCS#1, PKCS#8, SEC1, DSA, PGP armor), OpenSSH private keys and age secret keys. */
export const KEY_DETECTORS: readonly SecretDetector[] = [
  {
    id: "private-key",
    title: "private key",
    severity: "dangerous",
    keywords: ["PRIVATE KEY"],
    maxSpan: MAX_PEM_BLOCK_CHARS,
    find: (text) =>
      findPemBlocks(text)
        .filter((b) => b.label !== "OPENSSH PRIVATE KEY" && isKeyBody(b.body))
        .map((b) => toMatch(b, b.encrypted)),
  },
  {
    id: "openssh-private-key",
    title: "OpenSSH private key",
    severity: "dangerous",
    keywords: ["PRIVATE KEY"],
    maxSpan: MAX_PEM_BLOCK_CHARS,
    find: (text) =>
      findPemBlocks(text)
        .filter(
          (b) => b.label === "OPENSSH PRIVATE KEY" && b.body.startsWith(OPENSSH_MAGIC) && isKeyBody(b.body),
        )
        .map((b) => toMatch(b, opensshCipher(b.body) !== "none")),
  },
  regexDetector({
    id: "age-secret-key",
    title: "age secret key",
    severity: "dangerous",
    keywords: ["AGE-SECRET-KEY-1"],
    pattern: /(?<![A-Za-z0-9])AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Za-z0-9])/g,
    // bech32 carries its own checksum (BIP-173).
    verify: isValidBech32,
  }),
];
