import { escapeControl as shown } from "@modelgate/scanner";
import type { DiscussionDetails, DiscussionEvent, PrFile } from "../api/types";
import { useAuth } from "../auth/auth";
import { LoadState } from "../components/load-state";
import { PrFilesSummary } from "../components/pr-files-summary";
import { RepoHeader } from "../components/repo-header";
import { StatusBadge } from "../components/status-badge";
import { formatDate, formatSize, shortId } from "../format";
import { blobHref, fullName, prRevision, type RepoId, treeHref } from "../routes";
import { fileBadge, isAlarming } from "../security/badges";
import { useLoad, useTitle } from "../use-load";
import { DEFAULT_BRANCH } from "./tree-page";

const STATUS_WORDS: Record<DiscussionDetails["status"], string> = {
  draft: "Draft",
  open: "Open",
  closed: "Closed",
  merged: "Merged",
};

/**
 * A discussion or pull request: its status and conversation, and for a pull request the files it
 * changes with their scan status (each linking to its security detail at `refs/pr/N`), a warning
 * when any is unsafe or infected, and the files that conflict with the target branch.
 */
export function DiscussionPage(props: { id: RepoId; num: number }) {
  const { id, num } = props;
  useTitle(`#${num} · ${fullName(id)}`);
  const { api, viewer } = useAuth();
  const discussion = useLoad(
    (signal) => api.discussion(id, num, signal),
    [id.kind, id.ns, id.repo, num, viewer],
  );
  return (
    <>
      <RepoHeader id={id} rev={DEFAULT_BRANCH} info={undefined} tab="pulls" />
      <LoadState loaded={discussion} what={`discussion #${num}`}>
        {(d) => (
          <article aria-labelledby="discussion-title">
            <h2 id="discussion-title">
              {d.title} <span class="muted">#{d.num}</span>
            </h2>
            <p>
              <span class={`tag tag-${d.status}`}>{STATUS_WORDS[d.status]}</span>{" "}
              {d.isPullRequest ? "Pull request" : "Discussion"} opened by {d.author.name} on{" "}
              {formatDate(d.createdAt)}
              {d.isPullRequest && d.changes && <> into {d.changes.base.replace(/^refs\/heads\//, "")}</>}
            </p>
            {d.isPullRequest && <PullRequestFiles id={id} details={d} />}
            <section aria-labelledby="conversation-title">
              <h3 id="conversation-title">Conversation</h3>
              <ol class="events">
                {d.events.map((e) => (
                  <EventItem key={e.id} id={id} event={e} />
                ))}
              </ol>
            </section>
          </article>
        )}
      </LoadState>
    </>
  );
}

function PullRequestFiles(props: { id: RepoId; details: DiscussionDetails }) {
  const { id, details } = props;
  const { api, viewer } = useAuth();
  const files = useLoad(
    (signal) => api.pullRequestFiles(id, details.num, signal),
    [id.kind, id.ns, id.repo, details.num, viewer],
  );
  const rev = prRevision(details.num);
  const conflicts = details.filesWithConflicts ?? [];
  return (
    <section aria-labelledby="changes-title">
      <h3 id="changes-title">Files changed</h3>
      {conflicts.length > 0 && (
        <div class="notice notice-error" role="alert">
          <p>
            <strong>Conflicts with the target branch:</strong> {conflicts.map((c) => shown(c)).join(", ")}
          </p>
        </div>
      )}
      <LoadState loaded={files} what="the changed files">
        {(list) => (
          <>
            <AlarmingFiles id={id} rev={rev} files={list} />
            <p>
              <PrFilesSummary files={list} /> · <a href={treeHref(id, rev)}>Browse {rev}</a>
            </p>
            <ChangedFilesTable id={id} rev={rev} files={list} />
          </>
        )}
      </LoadState>
    </section>
  );
}

function AlarmingFiles(props: { id: RepoId; rev: string; files: readonly PrFile[] }) {
  const alarming = props.files.filter((f) => f.securityStatus && isAlarming(f.securityStatus));
  if (alarming.length === 0) return null;
  return (
    <section class="banner banner-danger" role="alert" aria-labelledby="pr-banner-title">
      <h4 id="pr-banner-title" class="banner-title">
        <span aria-hidden="true">⚠ </span>
        This pull request adds {alarming.length} {alarming.length === 1 ? "file" : "files"} scanned as unsafe
        or infected
      </h4>
      <p>Merging it would put them on the target branch. See what the scan found:</p>
      <ul>
        {alarming.map((f) => (
          <li key={f.path}>
            <a href={blobHref(props.id, props.rev, f.path)}>{shown(f.path)}</a> ({f.securityStatus})
          </li>
        ))}
      </ul>
    </section>
  );
}

function ChangedFilesTable(props: { id: RepoId; rev: string; files: readonly PrFile[] }) {
  if (props.files.length === 0) return <p>No files changed yet.</p>;
  return (
    <div class="table-scroll">
      <table class="files">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Change</th>
            <th scope="col">Security</th>
            <th scope="col" class="num">
              Size
            </th>
          </tr>
        </thead>
        <tbody>
          {props.files.map((f) => (
            <tr key={f.path}>
              <th scope="row">
                {f.change === "deleted" ? (
                  shown(f.path)
                ) : (
                  <a href={blobHref(props.id, props.rev, f.path)}>{shown(f.path)}</a>
                )}
              </th>
              <td>{f.change}</td>
              <td>{f.securityStatus && <StatusBadge badge={fileBadge(f.securityStatus)} />}</td>
              <td class="num">{f.size === null ? "" : formatSize(f.size)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EventItem(props: { id: RepoId; event: DiscussionEvent }) {
  const { event } = props;
  const who = (
    <span class="muted small">
      {event.author.name} · {formatDate(event.createdAt)}
    </span>
  );
  switch (event.type) {
    case "comment":
      return (
        <li class="event event-comment">
          {who}
          <p class="comment-text">{event.data.hidden ? "(hidden)" : event.data.latest.raw}</p>
        </li>
      );
    case "commit":
      return (
        <li class="event">
          Commit <a href={treeHref(props.id, event.data.oid)}>{shortId(event.data.oid)}</a>{" "}
          {event.data.subject} {who}
        </li>
      );
    case "status-change":
      return (
        <li class="event">
          Status changed to {STATUS_WORDS[event.data.status] ?? event.data.status} {who}
        </li>
      );
    case "title-change":
      return (
        <li class="event">
          Renamed from “{event.data.from}” to “{event.data.to}” {who}
        </li>
      );
  }
}
