/** A commit object split as `git verify-commit` splits it: what was signed, the signature, the committer. */
export interface SignedCommit {
  /** The object without its signature header: the bytes the signature is over. */
  payload: Buffer;
  /** The signature (ASCII-armoured), when the commit has one. */
  signature: string | undefined;
  format: "gpg" | "ssh" | "x509" | "unknown" | undefined;
  committerName: string;
  /** Lower-case. */
  committerEmail: string;
  authorName: string;
}

/** Signature headers: `gpgsig` (SHA-1 repositories) and `gpgsig-sha256` (SHA-256 ones, and both in interop). */
const SIGNATURE_HEADERS = new Set(["gpgsig", "gpgsig-sha256"]);
const PERSON = /^(.*?) <([^<>]*)> /;

/**
 * Splits a raw commit object (`git cat-file commit`) into the signed payload and the signature, as
 * git does (https://git-scm.com/docs/signature-format#_commit_signatures): the signature is the
 * value of the `gpgsig` header (continuation lines start with one space), and the payload is the
 * object with that header removed. The bytes are kept exactly (latin1 round-trips every byte).
 */
export function parseSignedCommit(raw: Buffer): SignedCommit {
  const text = raw.toString("latin1");
  const headerEnd = text.indexOf("\n\n");
  const headers = headerEnd < 0 ? text : text.slice(0, headerEnd + 1);
  const rest = headerEnd < 0 ? "" : text.slice(headerEnd + 1);
  const kept: string[] = [];
  let signature: string[] | undefined;
  let inSignature = false;
  let committer = "";
  let author = "";
  for (const line of headers.split(/(?<=\n)/)) {
    if (line.startsWith(" ")) {
      if (inSignature) signature?.push(line.slice(1));
      else kept.push(line);
      continue;
    }
    const space = line.indexOf(" ");
    const name = space < 0 ? line.trimEnd() : line.slice(0, space);
    inSignature = SIGNATURE_HEADERS.has(name);
    if (inSignature) {
      // The first signature header is the one checked (git checks the one of the repository's hash).
      if (signature === undefined) signature = [line.slice(name.length + 1)];
      else inSignature = false;
      continue;
    }
    if (name === "committer") committer = line.slice(10);
    if (name === "author") author = line.slice(7);
    kept.push(line);
  }
  const sig = signature?.join("");
  const committerMatch = PERSON.exec(committer);
  return {
    payload: Buffer.from(kept.join("") + rest, "latin1"),
    signature: sig,
    format: sig === undefined ? undefined : formatOf(sig),
    committerName: Buffer.from(committerMatch?.[1] ?? "", "latin1").toString("utf8"),
    committerEmail: Buffer.from(committerMatch?.[2] ?? "", "latin1")
      .toString("utf8")
      .toLowerCase(),
    authorName: Buffer.from(PERSON.exec(author)?.[1] ?? "", "latin1").toString("utf8"),
  };
}

function formatOf(signature: string): SignedCommit["format"] {
  if (signature.startsWith("-----BEGIN PGP SIGNATURE-----")) return "gpg";
  if (signature.startsWith("-----BEGIN SSH SIGNATURE-----")) return "ssh";
  if (signature.startsWith("-----BEGIN SIGNED MESSAGE-----")) return "x509";
  return "unknown";
}
