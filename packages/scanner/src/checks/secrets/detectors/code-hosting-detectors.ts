import { hasBase62Crc32 } from "../base62-checksum.js";
import { base64Bytes, latin1 } from "../base64-bytes.js";
import { regexDetector, tokenPattern } from "../regex-detector.js";
import type { SecretDetector } from "../secret-detector.js";

/** Tokens of code hosts and package registries: push access to code and packages. */
export const CODE_HOSTING_DETECTORS: readonly SecretDetector[] = [
  regexDetector({
    id: "github-token",
    title: "GitHub token",
    severity: "dangerous",
    keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
    // Prefix, 30 random base-62 characters, 6-character base-62 CRC-32 of them.
    pattern: tokenPattern("gh[pousr]_[A-Za-z0-9]{36}"),
    verify: (s) => hasBase62Crc32(s.slice(4)),
  }),
  regexDetector({
    id: "github-fine-grained-token",
    title: "GitHub fine-grained personal access token",
    severity: "dangerous",
    keywords: ["github_pat_"],
    pattern: tokenPattern("github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}"),
    minEntropy: 4,
  }),
  regexDetector({
    id: "gitlab-token",
    title: "GitLab token",
    severity: "dangerous",
    keywords: ["glpat-", "gldt-", "glrt-", "glptt-", "glft-", "glsoat-", "gloas-", "glcbt-"],
    // Legacy tokens are prefix + 20 characters; routable ones are longer and end in `.` + 9 base-36 characters.
    pattern: tokenPattern("gl(?:pat|dt|rt|ptt|ft|soat|oas|cbt)-[A-Za-z0-9_-]{20,300}(?:\\.[0-9a-z]{9})?"),
    minEntropy: 3.5,
  }),
  regexDetector({
    id: "npm-token",
    title: "npm access token",
    severity: "dangerous",
    keywords: ["npm_"],
    // Same layout and CRC-32 checksum as GitHub's tokens.
    pattern: tokenPattern("npm_[A-Za-z0-9]{36}"),
    verify: (s) => hasBase62Crc32(s.slice(4)),
  }),
  regexDetector({
    id: "pypi-token",
    title: "PyPI API token",
    severity: "dangerous",
    keywords: ["pypi-AgE"],
    // A base64url macaroon whose location is pypi.org or test.pypi.org.
    pattern: tokenPattern("pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000}"),
    verify: (s) => {
      const bytes = base64Bytes(s.slice(5));
      return bytes !== undefined && bytes.length >= 60 && latin1(bytes.subarray(0, 20)).includes("pypi.org");
    },
  }),
];
