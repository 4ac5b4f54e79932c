import { useLocation } from "preact-iso";
import type { RepoInfo } from "../api/types";
import { useAuth } from "../auth/auth";
import { commitsHref, fullName, pullsHref, type RepoId, repoHref, treeHref } from "../routes";
import { useLoad } from "../use-load";

/**
 * A repository's heading: its name, kind and visibility, the Files/History tabs, and the revision
 * picker (branches, plus the current commit when it is not a branch head).
 */
export function RepoHeader(props: {
  id: RepoId;
  rev: string;
  info: RepoInfo | undefined;
  tab: "files" | "history" | "pulls";
}) {
  const { id, rev, tab } = props;
  return (
    <header class="repo-header">
      <p class="kind-line">{id.kind === "dataset" ? "Dataset" : "Model"}</p>
      <h1>
        <a href={repoHref(id)}>{fullName(id)}</a>
        {props.info?.private && <span class="tag">Private</span>}
      </h1>
      <div class="repo-toolbar">
        <nav aria-label="Repository">
          <ul class="tabs">
            <li>
              <a href={treeHref(id, rev)} aria-current={tab === "files" ? "page" : undefined}>
                Files
              </a>
            </li>
            <li>
              <a href={commitsHref(id, rev)} aria-current={tab === "history" ? "page" : undefined}>
                History
              </a>
            </li>
            <li>
              <a href={pullsHref(id)} aria-current={tab === "pulls" ? "page" : undefined}>
                Pull requests
              </a>
            </li>
          </ul>
        </nav>
        {tab !== "pulls" && <RevisionPicker id={id} rev={rev} tab={tab} />}
      </div>
    </header>
  );
}

/** How the picker names a revision that is not a branch or tag: a commit or a pull request's ref. */
function revisionLabel(rev: string): string {
  if (/^[0-9a-f]{40}$/.test(rev)) return `commit ${rev.slice(0, 7)}`;
  const pr = /^refs\/pr\/(\d+)$/.exec(rev);
  return pr ? `pull request #${pr[1]}` : rev;
}

function RevisionPicker(props: { id: RepoId; rev: string; tab: "files" | "history" }) {
  const { api, viewer } = useAuth();
  const location = useLocation();
  const { id, rev } = props;
  const refs = useLoad((signal) => api.refs(id, signal), [id.kind, id.ns, id.repo, viewer]);
  const branches = refs.state === "done" ? refs.data.branches.map((b) => b.name) : [];
  const tags = refs.state === "done" ? (refs.data.tags ?? []).map((t) => t.name) : [];
  const known = [...branches, ...tags];
  return (
    <div class="revision">
      <label for="revision-select">Revision</label>
      <select
        id="revision-select"
        value={rev}
        onChange={(e) => {
          const next = e.currentTarget.value;
          location.route(props.tab === "history" ? commitsHref(id, next) : treeHref(id, next));
        }}
      >
        {!known.includes(rev) && <option value={rev}>{revisionLabel(rev)}</option>}
        <optgroup label="Branches">
          {branches.map((name) => (
            <option key={`b-${name}`} value={name}>
              {name}
            </option>
          ))}
        </optgroup>
        {tags.length > 0 && (
          <optgroup label="Tags">
            {tags.map((name) => (
              <option key={`t-${name}`} value={name}>
                {name}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </div>
  );
}
