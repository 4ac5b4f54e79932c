import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Caller } from "../auth/accounts.js";
import type { HubContext } from "../context.js";
import {
  addComment,
  addEvent,
  type Discussion,
  type DiscussionFilter,
  discussionJson,
  eventsOf,
  findDiscussion,
  insertDiscussion,
  listDiscussions,
  setStatus,
  setTitle,
} from "../discussions/discussion-store.js";
import { mergePullRequest } from "../discussions/merge-pull-request.js";
import { conflictsOf, prFiles, prState } from "../discussions/pull-request-changes.js";
import { openPullRequest } from "../discussions/pull-request-commits.js";
import { diffCommits } from "../git/git-log.js";
import { badInput, HubError } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { loadRepo, type RepoAccess, type RepoRef } from "../repos/repo-ref.js";
import {
  commentSchema,
  createDiscussionSchema,
  mergeSchema,
  statusSchema,
  titleSchema,
} from "../schemas/discussion-schemas.js";
import { queryFlag } from "./query-flag.js";
import { REPO_TYPE_ROUTES, type RepoParams, type RepoTypeRoutes } from "./repo-types.js";

interface NumParams extends RepoParams {
  num: string;
}

/** Pages a discussion listing can be skipped into (CWE-400). */
const MAX_DISCUSSION_PAGES = HUB_FIXED_LIMITS.maxDiscussionPages;

/**
 * The Hub's discussion and pull-request routes, for models and datasets, under
 * `/api/{type}s/{ns}/{repo}/discussions`: list (`?p=&type=&status=&author=`), create
 * (`{title, description, pullRequest}`), details (`/{num}?diff=1`), and `/{num}/comment`,
 * `/status`, `/title`, `/merge`. Plus modelgate's `/{num}/files`: a pull request's changed files
 * with their scan status. Anyone who can read a repository may open and comment with a write
 * token; the author or a writer changes status and title; only writers merge.
 */
export function discussionRoutes(app: FastifyInstance, ctx: HubContext): void {
  for (const t of REPO_TYPE_ROUTES) {
    const base = `${t.api}/:ns/:repo/discussions`;
    const open = async (request: FastifyRequest<{ Params: NumParams }>, need: RepoAccess) => {
      const { ns, repo: name, num } = request.params;
      const repo = await loadRepo(ctx, t.type, ns, name, request.caller, need);
      const n = Number(num);
      if (!Number.isInteger(n) || n < 1) throw badInput(`invalid discussion number: ${num.slice(0, 20)}`);
      return { repo, discussion: await findDiscussion(ctx, repo.id, n) };
    };

    app.get<{
      Params: RepoParams;
      Querystring: { p?: string; type?: string; status?: string; author?: string };
    }>(base, async (request) => {
      const { ns, repo: name } = request.params;
      const repo = await loadRepo(ctx, t.type, ns, name, request.caller, "read");
      const page = Number(request.query.p ?? 0);
      if (!Number.isInteger(page) || page < 0 || page >= MAX_DISCUSSION_PAGES) {
        throw badInput(`p must be an integer from 0 to ${MAX_DISCUSSION_PAGES - 1}`);
      }
      const listed = await listDiscussions(ctx, repo.id, filterOf(request.query), page);
      const closed = await listDiscussions(ctx, repo.id, { status: "closed" }, 0);
      return {
        discussions: listed.discussions.map((d) => discussionJson(d, repo)),
        count: listed.count,
        start: listed.start,
        numClosedDiscussions: closed.count,
      };
    });

    app.post<{
      Params: RepoParams;
      Body: { title: string; description?: string | null; pullRequest?: boolean | null };
    }>(base, { schema: createDiscussionSchema }, async (request) => {
      const { ns, repo: name } = request.params;
      const repo = await loadRepo(ctx, t.type, ns, name, request.caller, "contribute");
      const caller = callerOf(request.caller);
      const { title, description, pullRequest } = request.body;
      let discussion: Discussion;
      if (pullRequest) {
        discussion = await openPullRequest(ctx, repo, caller, {
          target: "main",
          title: title.trim(),
          description: description ?? "",
          draft: true,
        });
      } else {
        discussion = await insertDiscussion(ctx, repo, {
          title: title.trim(),
          authorId: caller.id,
          isPullRequest: false,
          status: "open",
        });
        if (description) await addComment(ctx, discussion, caller, description);
      }
      return details(ctx, repo, t, discussion, false);
    });

    app.get<{ Params: NumParams; Querystring: { diff?: string } }>(`${base}/:num`, async (request) => {
      const { repo, discussion } = await open(request, "read");
      return details(ctx, repo, t, discussion, queryFlag(request.query.diff));
    });

    app.post<{ Params: NumParams; Body: { comment: string } }>(
      `${base}/:num/comment`,
      { schema: commentSchema },
      async (request) => {
        const { discussion } = await open(request, "contribute");
        const caller = callerOf(request.caller);
        const event = await addComment(ctx, discussion, caller, request.body.comment);
        return { newMessage: event };
      },
    );

    app.post<{ Params: NumParams; Body: { status: "open" | "closed"; comment?: string } }>(
      `${base}/:num/status`,
      { schema: statusSchema },
      async (request) => {
        const { repo, discussion } = await open(request, "contribute");
        const caller = callerOf(request.caller);
        assertAuthorOrWriter(repo, discussion, caller);
        if (discussion.status === "merged") {
          throw new HubError(409, "Conflict", `pull request #${discussion.num} is merged`);
        }
        const status = request.body.status;
        await setStatus(ctx, discussion, status);
        const event = await addEvent(ctx, discussion, "status-change", caller, { status });
        if (request.body.comment?.trim()) {
          await addComment(ctx, discussion, caller, request.body.comment);
        }
        return { newStatus: event };
      },
    );

    app.post<{ Params: NumParams; Body: { title: string } }>(
      `${base}/:num/title`,
      { schema: titleSchema },
      async (request) => {
        const { repo, discussion } = await open(request, "contribute");
        const caller = callerOf(request.caller);
        assertAuthorOrWriter(repo, discussion, caller);
        const title = request.body.title.trim();
        await setTitle(ctx, discussion, title);
        const event = await addEvent(ctx, discussion, "title-change", caller, {
          from: discussion.title,
          to: title,
        });
        return { newTitle: event };
      },
    );

    app.post<{ Params: NumParams; Body: { comment?: string } | null }>(
      `${base}/:num/merge`,
      { schema: mergeSchema },
      async (request) => {
        const { repo, discussion } = await open(request, "write");
        const caller = callerOf(request.caller);
        const oid = await mergePullRequest(ctx, repo, discussion, caller);
        await setStatus(ctx, discussion, "merged", oid);
        await addEvent(ctx, discussion, "status-change", caller, { status: "merged" });
        const comment = request.body?.comment;
        if (comment?.trim()) {
          await addComment(ctx, discussion, caller, comment);
        }
        return { mergeCommitId: oid };
      },
    );

    app.get<{ Params: NumParams }>(`${base}/:num/files`, async (request) => {
      const { repo, discussion } = await open(request, "read");
      if (!discussion.isPullRequest) throw badInput(`#${discussion.num} is a discussion, not a pull request`);
      const files = await prFiles(ctx, repo, await prState(repo, discussion));
      return files.map((f) => ({
        path: f.path,
        change: f.kind,
        size: f.size ?? null,
        lfs: f.lfs,
        securityStatus: f.status ?? null,
      }));
    });
  }
}

/** The Hub's discussion details; for pull requests `changes.base`, conflicts and (`diff`) the diff. */
async function details(
  ctx: HubContext,
  repo: RepoRef,
  t: RepoTypeRoutes,
  discussion: Discussion,
  withDiff: boolean,
): Promise<Record<string, unknown>> {
  const fresh = await findDiscussion(ctx, repo.id, discussion.num);
  const body: Record<string, unknown> = {
    ...discussionJson(fresh, repo),
    events: await eventsOf(ctx, fresh),
  };
  if (!fresh.isPullRequest) return body;
  const state = await prState(repo, fresh);
  const open = fresh.status === "open" || fresh.status === "draft";
  body.changes = {
    base: `refs/heads/${fresh.targetBranch ?? "main"}`,
    ...(fresh.mergeCommit ? { mergeCommitId: fresh.mergeCommit } : {}),
  };
  body.filesWithConflicts = open ? (await conflictsOf(repo, state)).conflicts : [];
  body.repoType = t.type;
  if (withDiff) {
    body.diff = await diffCommits(repo.gitDir, state.base ?? state.targetHead, state.prHead);
  }
  return body;
}

function filterOf(query: { type?: string; status?: string; author?: string }): DiscussionFilter {
  const type = query.type ?? "all";
  const status = query.status ?? "all";
  if (type !== "all" && type !== "discussion" && type !== "pull_request") {
    throw badInput("type must be all, discussion or pull_request");
  }
  if (status !== "all" && status !== "open" && status !== "closed") {
    throw badInput("status must be all, open or closed");
  }
  return { type, status, ...(query.author ? { author: query.author } : {}) };
}

function callerOf(caller: Caller | undefined): Caller {
  if (!caller) throw new HubError(401, "Unauthorized", "a write token is required");
  return caller;
}

function assertAuthorOrWriter(repo: RepoRef, discussion: Discussion, caller: Caller): void {
  if (discussion.authorId !== caller.id && !repo.canWrite) {
    throw new HubError(
      403,
      "Forbidden",
      `only the author of #${discussion.num} or a writer of ${repo.fullName} can do that`,
    );
  }
}
