import type { HubSigningKey } from "./hub-signing-key.js";

/**
 * Signs a commit object's content as `git commit -S` does: the detached signature over the whole
 * unsigned content goes into a `gpgsig` header at the end of the headers, each line after the first
 * indented by one space (git's multi-line header continuation). `git verify-commit` removes the
 * header again and checks the signature over the rest.
 * See https://git-scm.com/docs/signature-format#_commit_signatures.
 */
export async function signCommitContent(content: Buffer, key: HubSigningKey): Promise<Buffer> {
  const end = content.indexOf("\n\n");
  if (end < 0) throw new Error("a commit object without a message cannot be signed");
  const signature = await key.sign(content);
  const header = `gpgsig ${signature.trimEnd().split("\n").join("\n ")}\n`;
  return Buffer.concat([content.subarray(0, end + 1), Buffer.from(header), content.subarray(end + 1)]);
}

/**
 * Signs an annotated tag's content as `git tag -s` does: the signature is appended to the tag's
 * message. See https://git-scm.com/docs/signature-format#_tag_signatures.
 */
export async function signTagContent(content: Buffer, key: HubSigningKey): Promise<Buffer> {
  const signature = await key.sign(content);
  return Buffer.concat([content, Buffer.from(signature.endsWith("\n") ? signature : `${signature}\n`)]);
}
