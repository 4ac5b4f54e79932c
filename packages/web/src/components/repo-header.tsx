import { useLocation } from "preact-iso";
import type { RepoInfo } from "../api/types";
import { useAuth } from "../auth/auth";
import { commitsHref, fullName, type RepoId, repoHref, treeHref } from "../routes";
import { useLoad } from "../use-load";

/**
 * A repository's heading: its name, kind and visibility, the Files/History tabs, and the revision
 * picker (branches, plus the current commit when it is not a branch head).
 */
export function RepoHeader(props: {
  id: RepoId;
  rev: string;
  info: RepoInfo | undefined;
  tab: "files" | "history";
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
          </ul>
        </nav>
        <RevisionPicker id={id} rev={rev} tab={tab} />
      </div>
    </header>
  );
}

function RevisionPicker(props: { id: RepoId; rev: string; tab: "files" | "history" }) {
  const { api, token } = useAuth();
  const location = useLocation();
  const { id, rev } = props;
  const refs = useLoad((signal) => api.refs(id, signal), [id.kind, id.ns, id.repo, token]);
  const branches = refs.state === "done" ? refs.data.branches.map((b) => b.name) : [];
  const options = branches.includes(rev) ? branches : [rev, ...branches];
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
        {options.map((name) => (
          <option key={name} value={name}>
            {/^[0-9a-f]{40}$/.test(name) ? `commit ${name.slice(0, 7)}` : name}
          </option>
        ))}
      </select>
    </div>
  );
}
