import type { CommitSignature } from "../api/types";
import { useAuth } from "../auth/auth";
import { LoadState } from "../components/load-state";
import { RepoHeader } from "../components/repo-header";
import { formatDate, shortId } from "../format";
import { fullName, type RepoId, treeHref } from "../routes";
import { useLoad, useTitle } from "../use-load";
import { DEFAULT_BRANCH } from "./tree-page";

/** A revision's commit history, newest first; each commit links to the files as they were. */
export function CommitsPage(props: { id: RepoId; rev: string | undefined }) {
  const { id } = props;
  const rev = props.rev ?? DEFAULT_BRANCH;
  useTitle(`History · ${fullName(id)}`);
  const { api, viewer } = useAuth();
  const info = useLoad((signal) => api.repoInfo(id, rev, signal), [id.kind, id.ns, id.repo, rev, viewer]);
  const commits = useLoad((signal) => api.commits(id, rev, signal), [id.kind, id.ns, id.repo, rev, viewer]);
  return (
    <>
      <RepoHeader id={id} rev={rev} info={info.state === "done" ? info.data : undefined} tab="history" />
      <section aria-labelledby="history-title">
        <h2 id="history-title">History of {rev}</h2>
        <LoadState loaded={commits} what="the history">
          {(list) => (
            <ol class="commits">
              {list.map((c) => (
                <li key={c.id}>
                  <p class="commit-title">{c.title}</p>
                  {c.signature && <SignatureBadge signature={c.signature} />}
                  <p class="muted small">
                    {c.authors.map((a) => a.user).join(", ") || "unknown author"} committed on{" "}
                    {formatDate(c.date)} · <a href={treeHref(id, c.id)}>{shortId(c.id)}</a>
                  </p>
                  {c.signature?.status === "unverified" && (
                    <p class="muted small signature-reason">{c.signature.message}</p>
                  )}
                </li>
              ))}
            </ol>
          )}
        </LoadState>
      </section>
    </>
  );
}

const BADGE: Record<CommitSignature["status"], { label: string; tone: string }> = {
  verified: { label: "Verified", tone: "badge-ok" },
  unverified: { label: "Unverified", tone: "badge-danger" },
  unsigned: { label: "Unsigned", tone: "badge-neutral" },
};

/** Verified / Unverified / Unsigned, with who signed or what is wrong on hover and for screen readers. */
function SignatureBadge(props: { signature: CommitSignature }) {
  const { status, message } = props.signature;
  return (
    <span class={`badge ${BADGE[status].tone}`} title={message}>
      {BADGE[status].label}
      <span class="visually-hidden">: {message}</span>
    </span>
  );
}
