import { escapeControl as shown } from "@modelgate/scanner";
import type { TreeEntry } from "../api/types";
import { useAuth } from "../auth/auth";
import { Breadcrumbs } from "../components/breadcrumbs";
import { LoadState } from "../components/load-state";
import { RepoHeader } from "../components/repo-header";
import { SecurityBanner } from "../components/security-banner";
import { StatusBadge } from "../components/status-badge";
import { formatDate, formatSize, shortId } from "../format";
import { blobHref, commitsHref, fullName, type RepoId, treeHref } from "../routes";
import { fileBadge } from "../security/badges";
import { useLoad, useTitle } from "../use-load";

/** Default branch of every hub repository (created as `main`, as on the Hub). */
export const DEFAULT_BRANCH = "main";

/**
 * A repository's files at a revision (its root or a folder): the warning banner when any file is unsafe
 * or infected, then each entry with size, last commit and security badge.
 */
export function TreePage(props: { id: RepoId; rev: string | undefined; path: string }) {
  const { id, path } = props;
  const rev = props.rev ?? DEFAULT_BRANCH;
  useTitle(path ? `${shown(path)} · ${fullName(id)}` : fullName(id));
  const { api, viewer } = useAuth();
  const info = useLoad((signal) => api.repoInfo(id, rev, signal), [id.kind, id.ns, id.repo, rev, viewer]);
  const tree = useLoad(
    (signal) => api.tree(id, rev, path, signal),
    [id.kind, id.ns, id.repo, rev, path, viewer],
  );
  const repoInfo = info.state === "done" ? info.data : undefined;

  return (
    <>
      <RepoHeader id={id} rev={rev} info={repoInfo} tab="files" />
      <LoadState loaded={info} what="the repository">
        {(data) => (
          <>
            <SecurityBanner id={id} rev={rev} status={data.securityRepoStatus} />
            <p class="last-commit">
              Last commit <a href={treeHref(id, data.sha, path)}>{shortId(data.sha)}</a> on{" "}
              {formatDate(data.lastModified)} · <a href={commitsHref(id, rev)}>History</a>
            </p>
          </>
        )}
      </LoadState>
      <section aria-labelledby="files-title">
        <h2 id="files-title" class="visually-hidden">
          Files
        </h2>
        {path && <Breadcrumbs id={id} rev={rev} path={path} />}
        {info.state !== "failed" && (
          <LoadState loaded={tree} what="the files">
            {(entries) => <FileTable id={id} rev={rev} entries={entries} />}
          </LoadState>
        )}
      </section>
    </>
  );
}

function FileTable(props: { id: RepoId; rev: string; entries: readonly TreeEntry[] }) {
  const { id, rev } = props;
  const sorted = [...props.entries].sort((a, b) =>
    a.type === b.type ? a.path.localeCompare(b.path) : a.type === "directory" ? -1 : 1,
  );
  if (sorted.length === 0) return <p>This folder is empty.</p>;
  return (
    <div class="table-scroll">
      <table class="files">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Security</th>
            <th scope="col" class="num">
              Size
            </th>
            <th scope="col">Last commit</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((entry) => {
            const name = entry.path.split("/").pop() ?? entry.path;
            const dir = entry.type === "directory";
            const status = entry.securityFileStatus?.status ?? (dir ? undefined : "unscanned");
            return (
              <tr key={entry.path}>
                <th scope="row">
                  <a href={dir ? treeHref(id, rev, entry.path) : blobHref(id, rev, entry.path)}>
                    <EntryIcon dir={dir} />
                    {shown(name)}
                    {dir && <span class="visually-hidden"> (folder)</span>}
                  </a>
                </th>
                <td>{status && <StatusBadge badge={fileBadge(status)} />}</td>
                <td class="num">{dir ? "" : formatSize(entry.lfs?.size ?? entry.size)}</td>
                <td class="small">
                  {entry.lastCommit && (
                    <>
                      {entry.lastCommit.title}{" "}
                      <span class="muted">· {formatDate(entry.lastCommit.date)}</span>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A folder or file glyph (decorative: the link text and "(folder)" say what it is). */
function EntryIcon(props: { dir: boolean }) {
  return (
    <svg class="icon" aria-hidden="true" viewBox="0 0 16 16" width="16" height="16">
      {props.dir ? (
        <path d="M1.5 3h4l1.5 1.5h7.5v8.5h-13z" fill="#54aeff" stroke="#0969da" />
      ) : (
        <path d="M3.5 1.5h6l3 3v10h-9z" fill="#fff" stroke="#57606a" />
      )}
    </svg>
  );
}
