import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { TestHub } from "./start-test-hub.js";

/** A tiny HTTP client for the hub's API (plain fetch, no Hugging Face client). */
export function api(hub: TestHub, token: string | undefined = hub.token) {
  const headers = (extra: Record<string, string> = {}) => ({
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
    ...extra,
  });
  return {
    get: (path: string, extra?: Record<string, string>) =>
      fetch(`${hub.url}${path}`, { headers: headers(extra) }),
    post: (path: string, body: unknown, contentType = "application/json") =>
      fetch(`${hub.url}${path}`, {
        method: "POST",
        headers: headers({ "Content-Type": contentType }),
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
    del: (path: string, body: unknown) =>
      fetch(`${hub.url}${path}`, {
        method: "DELETE",
        headers: headers({ "Content-Type": "application/json" }),
        body: JSON.stringify(body),
      }),
    /** Sends a commit as NDJSON lines. */
    commit: (repo: string, lines: unknown[], rev = "main") =>
      fetch(`${hub.url}/api/models/${repo}/commit/${rev}`, {
        method: "POST",
        headers: headers({ "Content-Type": "application/x-ndjson" }),
        body: lines.map((l) => JSON.stringify(l)).join("\n"),
      }),
  };
}

export const header = (summary = "test commit", parentCommit?: string) => ({
  key: "header",
  value: { summary, ...(parentCommit ? { parentCommit } : {}) },
});

export const file = (path: string, content: string | Uint8Array) => ({
  key: "file",
  value: { path, encoding: "base64", content: Buffer.from(content).toString("base64") },
});

export const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

/** Everything a failed request must leave unchanged: the branch head, the files, LFS and temp folders. */
export async function snapshot(hub: TestHub, repo: string) {
  const info = await api(hub).get(`/api/models/${repo}/revision/main?blobs=true`);
  const body = info.ok ? ((await info.json()) as { sha: string; siblings: unknown[] }) : undefined;
  return {
    status: info.status,
    sha: body?.sha,
    siblings: body?.siblings,
    lfs: await listFiles(join(hub.dataDir, "lfs")),
    tmp: await listFiles(join(hub.dataDir, "tmp")),
    repos: await listFiles(join(hub.dataDir, "repos"), 3),
    objects: await listFiles(join(hub.dataDir, "repos", "models", `${repo}.git`, "objects")),
  };
}

async function listFiles(dir: string, depth = 10): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, level: number): Promise<void> => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      out.push(p);
      if (e.isDirectory() && level < depth) await walk(p, level + 1);
    }
  };
  await walk(dir, 1);
  return out.sort();
}
