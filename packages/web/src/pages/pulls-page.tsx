import type { DiscussionItem } from "../api/types";
import { useAuth } from "../auth/auth";
import { LoadState } from "../components/load-state";
import { PrFilesSummary } from "../components/pr-files-summary";
import { RepoHeader } from "../components/repo-header";
import { formatDate } from "../format";
import { discussionHref, fullName, type RepoId } from "../routes";
import { useLoad, useTitle } from "../use-load";
import { DEFAULT_BRANCH } from "./tree-page";

/** A repository's open pull requests, each with the scan status of the files it changes. */
export function PullsPage(props: { id: RepoId }) {
  const { id } = props;
  useTitle(`Pull requests · ${fullName(id)}`);
  const { api, viewer } = useAuth();
  const pulls = useLoad((signal) => api.pullRequests(id, signal), [id.kind, id.ns, id.repo, viewer]);
  return (
    <>
      <RepoHeader id={id} rev={DEFAULT_BRANCH} info={undefined} tab="pulls" />
      <section aria-labelledby="pulls-title">
        <h2 id="pulls-title">Open pull requests</h2>
        <LoadState loaded={pulls} what="the pull requests">
          {(list) =>
            list.discussions.length === 0 ? (
              <p>No open pull requests.</p>
            ) : (
              <ul class="pulls">
                {list.discussions.map((d) => (
                  <PullRow key={d.num} id={id} pr={d} />
                ))}
              </ul>
            )
          }
        </LoadState>
      </section>
    </>
  );
}

function PullRow(props: { id: RepoId; pr: DiscussionItem }) {
  const { id, pr } = props;
  const { api, viewer } = useAuth();
  const files = useLoad(
    (signal) => api.pullRequestFiles(id, pr.num, signal),
    [id.kind, id.ns, id.repo, pr.num, viewer],
  );
  return (
    <li class="pull">
      <p class="pull-title">
        <a href={discussionHref(id, pr.num)}>
          #{pr.num} {pr.title}
        </a>
        {pr.status === "draft" && <span class="tag">Draft</span>}
      </p>
      <p class="muted small">
        opened by {pr.author.name} on {formatDate(pr.createdAt)}
      </p>
      {files.state === "done" && <PrFilesSummary files={files.data} />}
      {files.state === "failed" && <p class="muted small">Could not load its files: {files.error.message}</p>}
    </li>
  );
}
