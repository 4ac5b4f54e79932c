/**
 * The page routes, shaped like the Hugging Face Hub's so pasted links keep working, and the URL
 * builders for pages, API calls and downloads. Pure functions: unit-tested without a browser.
 */

/** Models live at `/{ns}/{repo}`, datasets at `/datasets/{ns}/{repo}`, as on the Hub. */
export type RepoKind = "model" | "dataset";

/** Which repository a page is about. */
export interface RepoId {
  kind: RepoKind;
  ns: string;
  repo: string;
}

/** Every page the app shows, parsed from a location's pathname. */
export type Page =
  | { name: "home" }
  | { name: "sign-in" }
  | { name: "sign-up" }
  | { name: "settings"; section: SettingsSection }
  | { name: "org-settings"; org: string }
  | { name: "tree"; id: RepoId; rev: string | undefined; path: string }
  | { name: "blob"; id: RepoId; rev: string; path: string }
  | { name: "commits"; id: RepoId; rev: string | undefined }
  | { name: "pulls"; id: RepoId }
  | { name: "discussion"; id: RepoId; num: number }
  | { name: "not-found" };

/** First path segments that are never a namespace (the hub's own routes). */
const RESERVED = new Set(["api", "assets", "datasets", "sign-in", "sign-up", "settings", "organizations"]);

/** The account settings pages, at `/settings/{section}`. */
export type SettingsSection = "tokens" | "security" | "signing-keys" | "audit-log" | "admin";
const SETTINGS_SECTIONS: ReadonlySet<string> = new Set([
  "tokens",
  "security",
  "signing-keys",
  "audit-log",
  "admin",
]);

/**
 * Parses a pathname (still percent-encoded, as `location.pathname`) into a page. Each segment is
 * decoded on its own, so a revision like `refs%2Fpr%2F1` stays one segment.
 */
export function parsePage(pathname: string): Page {
  const raw = pathname.split("/").filter((s) => s.length > 0);
  let segments: string[];
  try {
    segments = raw.map((s) => decodeURIComponent(s));
  } catch {
    return { name: "not-found" };
  }
  if (segments.length === 0) return { name: "home" };
  if (segments.length === 1 && segments[0] === "sign-in") return { name: "sign-in" };
  if (segments.length === 1 && segments[0] === "sign-up") return { name: "sign-up" };
  if (segments.length === 2 && segments[0] === "settings" && SETTINGS_SECTIONS.has(segments[1] ?? "")) {
    return { name: "settings", section: segments[1] as SettingsSection };
  }
  if (segments.length === 3 && segments[0] === "organizations" && segments[2] === "settings" && segments[1]) {
    return { name: "org-settings", org: segments[1] };
  }
  let kind: RepoKind = "model";
  if (segments[0] === "datasets") {
    kind = "dataset";
    segments = segments.slice(1);
  }
  const [ns, repo, action, rev, ...rest] = segments;
  if (ns === undefined || repo === undefined || (kind === "model" && RESERVED.has(ns))) {
    return { name: "not-found" };
  }
  const id: RepoId = { kind, ns, repo };
  const path = rest.join("/");
  if (action === undefined) return { name: "tree", id, rev: undefined, path: "" };
  if (action === "discussions") {
    if (rev === undefined) return { name: "pulls", id };
    return /^[1-9][0-9]{0,8}$/.test(rev) && path === ""
      ? { name: "discussion", id, num: Number(rev) }
      : notFound();
  }
  if (rev === undefined) return action === "commits" ? { name: "commits", id, rev: undefined } : notFound();
  if (action === "tree") return { name: "tree", id, rev, path };
  if (action === "blob" && path !== "") return { name: "blob", id, rev, path };
  if (action === "commits" && path === "") return { name: "commits", id, rev };
  return notFound();
}

function notFound(): Page {
  return { name: "not-found" };
}

/** `ns/repo`, as the Hub names a repository. */
export function fullName(id: RepoId): string {
  return `${id.ns}/${id.repo}`;
}

function webPrefix(id: RepoId): string {
  return `${id.kind === "dataset" ? "/datasets" : ""}/${enc(id.ns)}/${enc(id.repo)}`;
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

/** Encodes a repository path segment by segment, keeping its slashes. */
export function encodePath(path: string): string {
  return path
    .split("/")
    .filter((s) => s.length > 0)
    .map(enc)
    .join("/");
}

/** The repository page (default branch). */
export function repoHref(id: RepoId): string {
  return webPrefix(id);
}

/** A folder at a revision; the root when `path` is empty. */
export function treeHref(id: RepoId, rev: string, path = ""): string {
  const tail = encodePath(path);
  return `${webPrefix(id)}/tree/${enc(rev)}${tail ? `/${tail}` : ""}`;
}

/** A file's page at a revision. */
export function blobHref(id: RepoId, rev: string, path: string): string {
  return `${webPrefix(id)}/blob/${enc(rev)}/${encodePath(path)}`;
}

/** The commit history of a revision. */
export function commitsHref(id: RepoId, rev: string): string {
  return `${webPrefix(id)}/commits/${enc(rev)}`;
}

/** The open pull requests of a repository (the Hub lists them under `/discussions`). */
export function pullsHref(id: RepoId): string {
  return `${webPrefix(id)}/discussions`;
}

/** One discussion or pull request. */
export function discussionHref(id: RepoId, num: number): string {
  return `${webPrefix(id)}/discussions/${num}`;
}

/** The ref holding a pull request's commits, a revision like any other. */
export function prRevision(num: number): string {
  return `refs/pr/${num}`;
}

/** The file's bytes (the hub's `resolve` route, the one the clients download from). */
export function resolveHref(id: RepoId, rev: string, path: string): string {
  return `${webPrefix(id)}/resolve/${enc(rev)}/${encodePath(path)}`;
}

/** `/api/models/ns/repo` or `/api/datasets/ns/repo`. */
export function apiRepo(id: RepoId): string {
  return `${apiList(id.kind)}/${enc(id.ns)}/${enc(id.repo)}`;
}

/** The listing route of a kind: `/api/models` or `/api/datasets`. */
export function apiList(kind: RepoKind): string {
  return kind === "dataset" ? "/api/datasets" : "/api/models";
}

/** Parses a Hub repository id (`ns/repo`) as the listing returns it. */
export function repoIdOf(kind: RepoKind, name: string): RepoId | undefined {
  const [ns, repo, ...more] = name.split("/");
  if (!ns || !repo || more.length > 0) return undefined;
  return { kind, ns, repo };
}
