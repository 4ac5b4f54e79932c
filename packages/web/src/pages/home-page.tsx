import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import type { RepoListItem } from "../api/types";
import { useAuth } from "../auth/auth";
import { DropZone } from "../components/drop-zone";
import { LoadState } from "../components/load-state";
import { StatusBadge } from "../components/status-badge";
import { formatDate } from "../format";
import { fullName, type RepoId, type RepoKind, repoHref, repoIdOf } from "../routes";
import { repoBadge } from "../security/badges";
import { useLoad, useTitle } from "../use-load";

interface Listed {
  id: RepoId;
  item: RepoListItem;
}

/** Home: the repositories the viewer can see, with search and a security badge each; the drop zone. */
export function HomePage() {
  useTitle("Repositories");
  const { api, viewer } = useAuth();
  const location = useLocation();
  const search = location.query.search ?? "";
  const [draft, setDraft] = useState(search);
  const loaded = useLoad(
    async (signal) => {
      const kinds: RepoKind[] = ["model", "dataset"];
      const lists = await Promise.all(kinds.map((k) => api.listRepos(k, search, signal)));
      return kinds.flatMap((kind, i) =>
        (lists[i] ?? []).flatMap((item): Listed[] => {
          const id = repoIdOf(kind, item.id);
          return id ? [{ id, item }] : [];
        }),
      );
    },
    [search, viewer],
  );

  return (
    <div class="home">
      <section aria-labelledby="repos-title">
        <h1 id="repos-title">Repositories</h1>
        {/* biome-ignore lint/a11y/useSemanticElements: a form with role="search" is the ARIA pattern every browser supports; the <search> element is newer than Preact's JSX types */}
        <form
          role="search"
          class="search"
          onSubmit={(e) => {
            e.preventDefault();
            location.route(draft ? `/?search=${encodeURIComponent(draft)}` : "/");
          }}
        >
          <label for="search-input">Search repositories</label>
          <input
            id="search-input"
            type="search"
            name="search"
            value={draft}
            placeholder="name or owner"
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
          <button type="submit">Search</button>
        </form>
        <LoadState loaded={loaded} what="repositories">
          {(repos) =>
            repos.length === 0 ? (
              <p>{search ? `No repository matches “${search}”.` : "No repositories yet."}</p>
            ) : (
              <ul class="repo-list">
                {repos.map((r) => (
                  <RepoCard key={`${r.id.kind}/${fullName(r.id)}`} listed={r} />
                ))}
              </ul>
            )
          }
        </LoadState>
      </section>
      <DropZone />
    </div>
  );
}

function RepoCard(props: { listed: Listed }) {
  const { id, item } = props.listed;
  const { api, viewer } = useAuth();
  const info = useLoad((signal) => api.repoInfo(id, undefined, signal), [id.kind, id.ns, id.repo, viewer]);
  return (
    <li class="repo-card">
      <a class="repo-name" href={repoHref(id)}>
        {id.kind === "dataset" && <span class="kind">Dataset </span>}
        {fullName(id)}
      </a>
      {item.private && <span class="tag">Private</span>}
      <span class="repo-badge">
        {info.state === "done" && <StatusBadge badge={repoBadge(info.data.securityRepoStatus)} />}
        {info.state === "loading" && <span class="muted">checking…</span>}
      </span>
      {item.lastModified && <span class="muted small">Updated {formatDate(item.lastModified)}</span>}
    </li>
  );
}
