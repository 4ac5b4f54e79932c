import { createHash, randomUUID } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { deflate, deflateSync } from "node:zlib";

const deflateAsync = promisify(deflate);
/** Objects smaller than this are deflated on the main thread: a thread-pool hop costs more. */
const SYNC_DEFLATE_BYTES = 64 * 1024;

/** The object kinds the hub writes. */
export type ObjectType = "blob" | "tree" | "commit" | "tag";

/** An object ready to be written: its id and content. */
export interface GitObject {
  oid: string;
  type: ObjectType;
  content: Uint8Array;
}

/** The id git gives an object: sha1 of `<type> <size>\0<content>`. */
export function objectId(type: ObjectType, content: Uint8Array): string {
  return createHash("sha1").update(`${type} ${content.length}\0`).update(content).digest("hex");
}

/**
 * Writes one object into a repository's object database as a loose object, in git's documented
 * format (zlib-deflated `<type> <size>\0<content>` at `objects/xx/yyyy...`). Done in-process because
 * spawning git per object costs more than the whole commit otherwise; the object appears under its
 * name only complete (written aside, then renamed), and git itself still moves the branch.
 */
export async function writeLooseObject(
  gitDir: string,
  type: ObjectType,
  content: Uint8Array,
): Promise<string> {
  const oid = objectId(type, content);
  const dir = join(gitDir, "objects", oid.slice(0, 2));
  const raw = Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]);
  const compressed = raw.length < SYNC_DEFLATE_BYTES ? deflateSync(raw) : await deflateAsync(raw);
  const tmp = join(dir, `tmp_obj_${randomUUID()}`);
  try {
    try {
      await writeFile(tmp, compressed, { flag: "wx", mode: 0o444 });
    } catch (err) {
      // The fan-out folder is created on first use only: one file-system call less per object.
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      await mkdir(dir, { recursive: true });
      await writeFile(tmp, compressed, { flag: "wx", mode: 0o444 });
    }
    // Replacing an existing copy is harmless: same name, same content (no existence check needed).
    await rename(tmp, join(dir, oid.slice(2)));
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return oid;
}

/** Writes objects concurrently (they do not depend on each other on disk). */
export async function writeObjects(gitDir: string, objects: readonly GitObject[]): Promise<void> {
  await Promise.all(objects.map((o) => writeLooseObject(gitDir, o.type, o.content)));
}

/** A file of a tree being written: its mode (`100644`, `100755`, `120000`, `160000`) and object id. */
export interface TreeFile {
  mode: string;
  oid: string;
}

interface Folder {
  files: Map<string, TreeFile>;
  folders: Map<string, Folder>;
}

/**
 * Builds the trees for a flat list of files (paths already validated, no file/folder clash), in
 * memory: returns the root tree's id and every tree object to write. Entries are sorted as git sorts
 * them (a folder as if its name ended in `/`), so `git fsck` accepts the result.
 */
export function buildTrees(files: ReadonlyMap<string, TreeFile>): { root: string; objects: GitObject[] } {
  const root: Folder = { files: new Map(), folders: new Map() };
  for (const [path, file] of files) {
    const parts = path.split("/");
    const name = parts.pop() ?? path;
    let folder = root;
    for (const part of parts) {
      let next = folder.folders.get(part);
      if (!next) {
        next = { files: new Map(), folders: new Map() };
        folder.folders.set(part, next);
      }
      folder = next;
    }
    folder.files.set(name, file);
  }
  const objects: GitObject[] = [];
  return { root: buildFolder(root, objects), objects };
}

function buildFolder(folder: Folder, objects: GitObject[]): string {
  const entries: { sortKey: string; mode: string; name: string; oid: string }[] = [];
  for (const [name, sub] of folder.folders) {
    entries.push({ sortKey: `${name}/`, mode: "40000", name, oid: buildFolder(sub, objects) });
  }
  for (const [name, file] of folder.files) {
    entries.push({ sortKey: name, mode: file.mode.replace(/^0+/, ""), name, oid: file.oid });
  }
  // git compares names as bytes.
  entries.sort((a, b) => Buffer.compare(Buffer.from(a.sortKey), Buffer.from(b.sortKey)));
  const parts: Buffer[] = [];
  for (const e of entries) parts.push(Buffer.from(`${e.mode} ${e.name}\0`), Buffer.from(e.oid, "hex"));
  const content = Buffer.concat(parts);
  const oid = objectId("tree", content);
  objects.push({ oid, type: "tree", content });
  return oid;
}

/** A person as git records them; `name` and `email` must hold no `<`, `>` or newline. */
export interface GitPerson {
  name: string;
  email: string;
}

/** A person as git records them: `name <email> seconds +0000`. Neither may hold `<`, `>` or a newline. */
function identity(person: GitPerson): string {
  return `${person.name} <${person.email}> ${Math.floor(Date.now() / 1000)} +0000`;
}

/** The content of an unsigned commit object (`signCommitContent` adds the signature). */
export function commitContent(commit: {
  tree: string;
  parent: string | undefined;
  /** The second parent of a merge commit (the merged pull request's head). */
  mergeParent?: string | undefined;
  author: GitPerson;
  committer: GitPerson;
  message: string;
}): Buffer {
  const message = commit.message.endsWith("\n") ? commit.message : `${commit.message}\n`;
  const text = [
    `tree ${commit.tree}`,
    ...(commit.parent ? [`parent ${commit.parent}`] : []),
    ...(commit.mergeParent ? [`parent ${commit.mergeParent}`] : []),
    `author ${identity(commit.author)}`,
    `committer ${identity(commit.committer)}`,
    "",
    message,
  ].join("\n");
  return Buffer.from(text, "utf8");
}

/** The content of an unsigned annotated tag object pointing at a commit (`git tag -a`). `name` is a validated ref name. */
export function tagContent(tag: {
  commit: string;
  name: string;
  tagger: GitPerson;
  message: string;
}): Buffer {
  const message = tag.message.endsWith("\n") ? tag.message : `${tag.message}\n`;
  const text = [
    `object ${tag.commit}`,
    "type commit",
    `tag ${tag.name}`,
    `tagger ${identity(tag.tagger)}`,
    "",
    message,
  ].join("\n");
  return Buffer.from(text, "utf8");
}
