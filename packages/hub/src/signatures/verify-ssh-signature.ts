import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTool } from "./run-tool.js";

/** What checking an SSH signature found. */
export type SshCheck =
  | { outcome: "good"; fingerprint: string }
  | { outcome: "unknown"; fingerprint: string }
  | { outcome: "bad"; detail: string };

const GOOD = /^Good "git" signature (?:for \S+ )?with \S+ key (SHA256:[A-Za-z0-9+/]+)/m;

/**
 * Checks an SSH signature (`git -c gpg.format=ssh commit -S`) over `payload` with OpenSSH's own
 * `ssh-keygen -Y`, in the `git` namespace: `check-novalidate` names the key the signature claims
 * (its fingerprint), `publicKeyOf` finds that key among the registered ones, and `verify` with an
 * allowed-signers file holding only that key gives the answer.
 */
export async function verifySshSignature(
  payload: Uint8Array,
  signature: string,
  publicKeyOf: (fingerprint: string) => Promise<string | undefined>,
): Promise<SshCheck> {
  const dir = await mkdtemp(join(tmpdir(), "modelgate-sshsig-"));
  try {
    const sigFile = join(dir, "commit.sig");
    await writeFile(sigFile, signature.endsWith("\n") ? signature : `${signature}\n`);
    const claimed = await runTool(
      "ssh-keygen",
      ["-Y", "check-novalidate", "-n", "git", "-s", sigFile],
      payload,
    );
    const fp = GOOD.exec(claimed.stdout + claimed.stderr)?.[1];
    if (claimed.code !== 0 || fp === undefined) {
      return {
        outcome: "bad",
        detail: firstLine(claimed.stderr) || "ssh-keygen could not verify the signature",
      };
    }
    const publicKey = await publicKeyOf(fp);
    if (publicKey === undefined) return { outcome: "unknown", fingerprint: fp };
    const allowed = join(dir, "allowed_signers");
    await writeFile(allowed, `signer namespaces="git" ${publicKey}\n`);
    const verified = await runTool(
      "ssh-keygen",
      ["-Y", "verify", "-f", allowed, "-I", "signer", "-n", "git", "-s", sigFile],
      payload,
    );
    if (verified.code !== 0) {
      return { outcome: "bad", detail: firstLine(verified.stderr + verified.stdout) || "bad signature" };
    }
    return { outcome: "good", fingerprint: fp };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function firstLine(text: string): string {
  return text.trim().split("\n", 1)[0] ?? "";
}
