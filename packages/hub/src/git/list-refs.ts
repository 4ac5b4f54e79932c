import { runGit } from "./run-git.js";

/** The kinds of refs the hub keeps: branches, tags and pull-request refs (`refs/pr/N`). */
export type RefKind = "branch" | "tag" | "pr";

/** A ref and the commit it points at (tags peeled). */
export interface GitRef {
  kind: RefKind;
  /** The short name clients use: `main`, `v1.0`, `refs/pr/1` (the Hub names PR refs in full). */
  name: string;
  /** The full ref name (`refs/heads/main`). */
  ref: string;
  /** The commit it points at (an annotated tag's commit, not the tag object). */
  oid: string;
  /** What the ref itself holds (the tag object for an annotated tag; else `oid`). */
  object: string;
}

const PREFIXES: readonly { prefix: string; kind: RefKind }[] = [
  { prefix: "refs/heads/", kind: "branch" },
  { prefix: "refs/tags/", kind: "tag" },
  { prefix: "refs/pr/", kind: "pr" },
];

/** Lists branches, tags and pull-request refs, sorted by name within each kind. */
export async function listRefs(gitDir: string, kinds: readonly RefKind[]): Promise<GitRef[]> {
  const wanted = PREFIXES.filter((p) => kinds.includes(p.kind));
  if (wanted.length === 0) return [];
  const out = await runGit(gitDir, [
    "for-each-ref",
    "--format=%(refname)%00%(objectname)%00%(*objectname)",
    ...wanted.map((p) => p.prefix),
  ]);
  const refs: GitRef[] = [];
  for (const line of out.toString("utf8").split("\n")) {
    const [ref = "", oid = "", peeled = ""] = line.split("\0");
    const kind = wanted.find((p) => ref.startsWith(p.prefix));
    if (!kind) continue;
    const name = kind.kind === "pr" ? ref : ref.slice(kind.prefix.length);
    refs.push({ kind: kind.kind, name, ref, oid: peeled || oid, object: oid });
  }
  // Pull requests by number, the rest by name.
  const prNumber = (r: GitRef) => Number(r.name.slice("refs/pr/".length));
  return refs.sort((a, b) =>
    a.kind === "pr" && b.kind === "pr" ? prNumber(a) - prNumber(b) : a.name.localeCompare(b.name),
  );
}
