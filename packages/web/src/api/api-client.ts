import { WEB_LIMIT_TABLE } from "../limits";
import { apiList, apiRepo, encodePath, type RepoId, type RepoKind } from "../routes";
import type {
  CommitItem,
  DiscussionDetails,
  DiscussionList,
  FileScan,
  PrFile,
  RepoInfo,
  RepoListItem,
  RepoRefs,
  SessionInfo,
  TreeEntry,
  WhoAmI,
} from "./types";

/** An API answer other than 2xx, with the hub's message (`{error}` or `{message}`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The hub's `X-Error-Code` (e.g. `TwoFactorRequired`). */
    readonly code?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Pages of a paginated list the pages follow at most, so a huge folder cannot stall the tab (CWE-770). */
export const MAX_PAGES = WEB_LIMIT_TABLE.maxListPages.value;

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * The hub's JSON API as the pages use it. The page session travels in its HttpOnly cookie (page
 * scripts never see it); state-changing requests carry the session's CSRF token in `X-CSRF-Token`.
 */
export class ApiClient {
  constructor(
    private readonly csrf: string | undefined,
    private readonly fetchImpl: Fetch = (input, init) => fetch(input, init),
  ) {}

  /** Who is signed in (with the CSRF token), or `{signedIn: false}`. */
  session(signal?: AbortSignal): Promise<SessionInfo> {
    return this.json("/api/auth/session", signal);
  }

  /** Sends a JSON body with `method` and returns the JSON answer. */
  async send<T>(method: "POST" | "PUT" | "DELETE", url: string, body: unknown = {}): Promise<T> {
    const response = await this.request(url, {
      method,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return (await response.json()) as T;
  }

  /** A GET answered with JSON. */
  getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
    return this.json(url, signal);
  }

  /** The signed-in user, or throws `ApiError(401)` for a bad token. */
  whoami(signal?: AbortSignal): Promise<WhoAmI> {
    return this.json("/api/whoami-v2", signal);
  }

  /** Repositories of a kind whose name contains `search` (all when empty) that the caller may see. */
  listRepos(kind: RepoKind, search: string, signal?: AbortSignal): Promise<RepoListItem[]> {
    const query = new URLSearchParams({ limit: "100" });
    if (search) query.set("search", search);
    return this.json(`${apiList(kind)}?${query}`, signal);
  }

  /** Repository info at a revision (default branch when undefined), with its security summary. */
  repoInfo(id: RepoId, rev: string | undefined, signal?: AbortSignal): Promise<RepoInfo> {
    const at = rev === undefined ? "" : `/revision/${encodeURIComponent(rev)}`;
    return this.json(`${apiRepo(id)}${at}?securityStatus=true`, signal);
  }

  /** A folder's entries with `lastCommit` and `securityFileStatus`, following `Link: rel="next"`. */
  async tree(id: RepoId, rev: string, path: string, signal?: AbortSignal): Promise<TreeEntry[]> {
    const tail = path ? `/${encodePath(path)}` : "";
    let url: string | undefined = `${apiRepo(id)}/tree/${encodeURIComponent(rev)}${tail}?expand=true`;
    const entries: TreeEntry[] = [];
    for (let page = 0; url !== undefined && page < MAX_PAGES; page++) {
      const response = await this.get(url, signal);
      entries.push(...((await response.json()) as TreeEntry[]));
      url = nextLink(response.headers.get("link"));
    }
    return entries;
  }

  /** One file's tree entry (`paths-info`), or undefined when there is no file at `path`. */
  async pathInfo(
    id: RepoId,
    rev: string,
    path: string,
    signal?: AbortSignal,
  ): Promise<TreeEntry | undefined> {
    const response = await this.request(`${apiRepo(id)}/paths-info/${encodeURIComponent(rev)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ paths: [path], expand: true }),
      ...(signal ? { signal } : {}),
    });
    const entries = (await response.json()) as TreeEntry[];
    return entries.find((e) => e.path === path && e.type === "file");
  }

  /** The stored scan report of one file (imports with reasons, calls, findings, format summary). */
  fileScan(id: RepoId, rev: string, path: string, signal?: AbortSignal): Promise<FileScan> {
    return this.json(`${apiRepo(id)}/scan/${encodeURIComponent(rev)}/${encodePath(path)}`, signal);
  }

  /** Commits of a revision, newest first. */
  commits(id: RepoId, rev: string, signal?: AbortSignal): Promise<CommitItem[]> {
    return this.json(`${apiRepo(id)}/commits/${encodeURIComponent(rev)}`, signal);
  }

  /** Branches and tags. */
  refs(id: RepoId, signal?: AbortSignal): Promise<RepoRefs> {
    return this.json(`${apiRepo(id)}/refs`, signal);
  }

  /** Open pull requests, newest first (drafts included; the first 50, as the Hub pages them). */
  pullRequests(id: RepoId, signal?: AbortSignal): Promise<DiscussionList> {
    return this.json(`${apiRepo(id)}/discussions?type=pull_request&status=open`, signal);
  }

  /** A discussion or pull request with its events. */
  discussion(id: RepoId, num: number, signal?: AbortSignal): Promise<DiscussionDetails> {
    return this.json(`${apiRepo(id)}/discussions/${num}`, signal);
  }

  /** The files a pull request changes, with their scan status. */
  pullRequestFiles(id: RepoId, num: number, signal?: AbortSignal): Promise<PrFile[]> {
    return this.json(`${apiRepo(id)}/discussions/${num}/files`, signal);
  }

  /** Downloads a file (with the session cookie, as any same-origin request). */
  async download(url: string, signal?: AbortSignal): Promise<Blob> {
    return (await this.get(url, signal)).blob();
  }

  private async json<T>(url: string, signal: AbortSignal | undefined): Promise<T> {
    return (await (await this.get(url, signal)).json()) as T;
  }

  private get(url: string, signal: AbortSignal | undefined): Promise<Response> {
    return this.request(url, signal ? { signal } : {});
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("accept", "application/json");
    const method = (init.method ?? "GET").toUpperCase();
    if (this.csrf && method !== "GET" && method !== "HEAD") headers.set("x-csrf-token", this.csrf);
    const response = await this.fetchImpl(url, { ...init, headers });
    if (!response.ok) {
      const code = response.headers.get("x-error-code") ?? undefined;
      throw new ApiError(response.status, await errorMessage(response), code);
    }
    return response;
  }
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown; message?: unknown };
    const text = typeof body.message === "string" ? body.message : body.error;
    if (typeof text === "string" && text) return text;
  } catch {
    // Not JSON: fall through to the status line.
  }
  return `${response.status} ${response.statusText}`.trim();
}

/** The `rel="next"` target of a `Link` header, as a same-origin path (the hub's own pagination). */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (!match?.[1]) continue;
    const url = new URL(match[1], "http://hub.invalid");
    return `${url.pathname}${url.search}`;
  }
  return undefined;
}
