import { badInput } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { runTool } from "./run-tool.js";

/** Longest SSH public key line accepted (an RSA-16384 key is under 3 KB; CWE-770). */
export const MAX_SSH_KEY_BYTES = HUB_FIXED_LIMITS.maxSshKeyBytes;

/** Key types `ssh-keygen -Y` signs with (as `git gpg.format=ssh` uses it). */
const KEY_TYPES = new Set([
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
]);

/** What the hub records of an SSH signing key. */
export interface ParsedSshKey {
  /** `SHA256:...`, as ssh-keygen prints it (and as `ssh-keygen -Y` names a signature's key). */
  fingerprint: string;
  /** `type base64` (the comment dropped), as an allowed-signers line needs it. */
  publicKey: string;
  comment: string;
}

/**
 * Reads one SSH public key line (`ssh-ed25519 AAAA... comment`, a `.pub` file) and has
 * `ssh-keygen -l` check it and give its fingerprint. Refuses private keys, certificates, several
 * keys and anything ssh-keygen cannot read, with a 400 `HubError`.
 */
export async function parseSshKey(text: string): Promise<ParsedSshKey> {
  if (text.length > MAX_SSH_KEY_BYTES)
    throw badInput(`the key is ${text.length} bytes, more than ${MAX_SSH_KEY_BYTES}`);
  if (/PRIVATE KEY-----/.test(text)) {
    throw badInput("this is a PRIVATE key: register the public key (the .pub file)");
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length !== 1) throw badInput("expected exactly one SSH public key line (the .pub file)");
  const m = /^(\S+) ([A-Za-z0-9+/]+={0,3})(?: (.*))?$/.exec((lines[0] as string).trim());
  if (!m) throw badInput("not an SSH public key: expected `TYPE BASE64 [comment]` (the .pub file)");
  const [, type, body, comment] = m as unknown as [string, string, string, string | undefined];
  if (!KEY_TYPES.has(type)) {
    throw badInput(
      `SSH key type ${JSON.stringify(type.slice(0, 60))} cannot sign commits; use ssh-ed25519, ecdsa or rsa`,
    );
  }
  const publicKey = `${type} ${body}`;
  const listed = await runTool("ssh-keygen", ["-l", "-E", "sha256", "-f", "-"], `${publicKey}\n`);
  const fp = /^\d+ (SHA256:[A-Za-z0-9+/]+)/.exec(listed.stdout);
  if (listed.code !== 0 || !fp) throw badInput("ssh-keygen cannot read this SSH public key");
  return { fingerprint: fp[1] as string, publicKey, comment: comment?.trim() ?? "" };
}
