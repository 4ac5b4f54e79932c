import type { HubSigningKey } from "../signing/hub-signing-key.js";
import { signCommitContent } from "../signing/sign-git-object.js";
import { ZERO_OID } from "./git-repo.js";
import {
  buildTrees,
  commitContent,
  type GitObject,
  type GitPerson,
  objectId,
  type TreeFile,
  writeObjects,
} from "./loose-objects.js";
import type { RefUpdater } from "./ref-updater.js";

/** What `writeCommit` writes and where. */
export interface WriteCommitInput {
  gitDir: string;
  /** The full ref to move (`refs/heads/main`, `refs/pr/1`). */
  ref: string;
  /** The new commit's parent, or undefined for a root commit. */
  parent: string | undefined;
  /** The second parent of a merge commit. */
  mergeParent?: string;
  /** What the ref must point at now (default: `parent`; all zeros: it must not exist). */
  expected?: string;
  /** The complete file list of the new commit. Blobs must already be written. */
  files: ReadonlyMap<string, TreeFile>;
  message: string;
  /** The user on whose behalf the hub commits: the commit's author. */
  author: GitPerson;
  /** The hub's key: it signs the commit, and its identity is the committer. */
  signer: HubSigningKey;
  refs: RefUpdater;
  /** New blobs of this commit, written together with its trees and commit object. */
  blobs?: readonly GitObject[];
  /** Work that must be done before the branch moves (it runs while the objects are written). */
  ready?: Promise<void>;
}

/**
 * Writes a commit atomically: writes its trees and signed commit object (invisible until
 * referenced), then moves the ref with a `git update-ref` transaction `<new> <old>`, which git does
 * only if the ref still points at `expected` (default `parent`). If it moved meanwhile, git refuses
 * and nothing changes. Returns the new commit id. Throws `GitError` when git refuses.
 *
 * The author is the user, the committer the hub, and an `On-behalf-of:` trailer repeats whom the
 * hub committed for, so the signature (the hub's) and the commit's text agree on who did what.
 */
export async function writeCommit(input: WriteCommitInput): Promise<string> {
  const trees = buildTrees(input.files);
  const unsigned = commitContent({
    tree: trees.root,
    parent: input.parent,
    mergeParent: input.mergeParent,
    author: input.author,
    committer: input.signer.identity,
    message: withOnBehalfOf(input.message, input.author),
  });
  const content = await signCommitContent(unsigned, input.signer);
  const commit: GitObject = { oid: objectId("commit", content), type: "commit", content };
  await Promise.all([
    writeObjects(input.gitDir, [...(input.blobs ?? []), ...trees.objects, commit]),
    input.ready,
  ]);
  await input.refs.update(input.gitDir, input.ref, commit.oid, input.expected ?? input.parent ?? ZERO_OID);
  return commit.oid;
}

/**
 * `message` with an `On-behalf-of: name <email>` trailer, as git's trailers are written: in the
 * last paragraph when that is already a trailer block, else in a paragraph of its own.
 */
export function withOnBehalfOf(message: string, author: GitPerson): string {
  const trailer = `On-behalf-of: ${author.name} <${author.email}>`;
  const body = message.replace(/\s+$/, "");
  const lastParagraph = body.split(/\n\s*\n/).pop() ?? "";
  const isTrailerBlock =
    body.includes("\n\n") && lastParagraph.split("\n").every((line) => /^[A-Za-z0-9-]+: /.test(line));
  return `${body}${isTrailerBlock ? "\n" : "\n\n"}${trailer}\n`;
}
