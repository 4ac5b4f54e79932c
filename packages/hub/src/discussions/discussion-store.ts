import type { Insertable } from "kysely";
import type { HubContext } from "../context.js";
import type { Database } from "../db/schema.js";
import { badInput, HubError } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import type { RepoRef } from "../repos/repo-ref.js";

/** A discussion's state; pull requests start as `draft` when opened without a commit. */
export type DiscussionStatus = "draft" | "open" | "closed" | "merged";

/** The kinds of events a discussion records, named as the Hub names them. */
export type DiscussionEventType = "comment" | "status-change" | "title-change" | "commit";

/** A discussion or pull request of a repository. */
export interface Discussion {
  id: number;
  repoId: number;
  num: number;
  title: string;
  authorId: number;
  authorName: string;
  isPullRequest: boolean;
  status: DiscussionStatus;
  /** The branch a pull request merges into. */
  targetBranch: string | undefined;
  mergeCommit: string | undefined;
  createdAt: string;
}

/** One event as the Hub sends it (`deserialize_event` in the Python client reads these fields). */
export interface DiscussionEventJson {
  id: string;
  type: DiscussionEventType;
  createdAt: string;
  author: { name: string; type: "user" };
  data: Record<string, unknown>;
}

/** Discussions per page of a listing, as on the Hub. */
export const DISCUSSIONS_PER_PAGE = HUB_FIXED_LIMITS.discussionsPerPage;

/** The ref that holds a pull request's commits. */
export const prRef = (num: number): string => `refs/pr/${num}`;

const STATUSES: readonly DiscussionStatus[] = ["draft", "open", "closed", "merged"];

/** Opens a discussion or pull request with the next number of the repository. */
export async function insertDiscussion(
  ctx: HubContext,
  repo: RepoRef,
  d: { title: string; authorId: number; isPullRequest: boolean; status: DiscussionStatus; target?: string },
): Promise<Discussion> {
  assertText(d.title, ctx, "title");
  const existing = await ctx.db
    .selectFrom("discussions")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("repo_id", "=", repo.id)
    .executeTakeFirst();
  if (Number(existing?.n ?? 0) >= ctx.limits.maxDiscussionsPerRepo) {
    throw badInput(
      `${repo.fullName} has ${ctx.limits.maxDiscussionsPerRepo} discussions, the most the hub allows`,
    );
  }
  const createdAt = new Date().toISOString();
  const id = await insertNumbered(ctx, repo.id, (num) => ({
    repo_id: repo.id,
    num,
    title: d.title,
    author_id: d.authorId,
    is_pr: d.isPullRequest ? 1 : 0,
    status: d.status,
    target_branch: d.target ?? null,
    merge_commit: null,
    created_at: createdAt,
  }));
  const created = await discussionById(ctx, id);
  if (!created) throw new Error(`discussion ${id} vanished`);
  return created;
}

/** Attempts at taking the next number when other requests (or hub processes) take it first. */
const NUMBERING_ATTEMPTS = 20;

/**
 * Inserts a discussion under its repository's next number. Two requests may read the same highest
 * number at once (PostgreSQL runs their transactions side by side, and several hub processes may
 * share the database): the unique index on (repo, number) lets one win, and the other takes the next.
 */
async function insertNumbered(
  ctx: HubContext,
  repoId: number,
  row: (num: number) => Insertable<Database["discussions"]>,
): Promise<number> {
  for (let attempt = 0; attempt < NUMBERING_ATTEMPTS; attempt++) {
    const last = await ctx.db
      .selectFrom("discussions")
      .select((eb) => eb.fn.max("num").as("num"))
      .where("repo_id", "=", repoId)
      .executeTakeFirst();
    const inserted = await ctx.db
      .insertInto("discussions")
      .values(row(Number(last?.num ?? 0) + 1))
      .onConflict((oc) => oc.columns(["repo_id", "num"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (inserted) return inserted.id;
  }
  throw new HubError(409, "Conflict", "too many discussions were opened at once; try again");
}

/** A repository's discussion by number, or 404. */
export async function findDiscussion(ctx: HubContext, repoId: number, num: number): Promise<Discussion> {
  const row = await selectDiscussions(ctx)
    .where("discussions.repo_id", "=", repoId)
    .where("discussions.num", "=", num)
    .executeTakeFirst();
  if (!row) throw new HubError(404, "EntryNotFound", `Discussion #${num} not found`);
  return toDiscussion(row);
}

async function discussionById(ctx: HubContext, id: number): Promise<Discussion | undefined> {
  const row = await selectDiscussions(ctx).where("discussions.id", "=", id).executeTakeFirst();
  return row ? toDiscussion(row) : undefined;
}

/** Filters of a discussion listing, as the Python client sends them. */
export interface DiscussionFilter {
  type?: "all" | "discussion" | "pull_request";
  status?: "all" | "open" | "closed";
  author?: string;
}

/** One page of a repository's discussions, newest first, with the total the filters match. */
export async function listDiscussions(
  ctx: HubContext,
  repoId: number,
  filter: DiscussionFilter,
  page: number,
): Promise<{ discussions: Discussion[]; count: number; start: number }> {
  let query = selectDiscussions(ctx).where("discussions.repo_id", "=", repoId);
  if (filter.type === "discussion") query = query.where("discussions.is_pr", "=", 0);
  if (filter.type === "pull_request") query = query.where("discussions.is_pr", "=", 1);
  // "open" includes drafts; "closed" includes merged pull requests, as on the Hub.
  if (filter.status === "open") query = query.where("discussions.status", "in", ["open", "draft"]);
  if (filter.status === "closed") query = query.where("discussions.status", "in", ["closed", "merged"]);
  if (filter.author) query = query.where("accounts.name", "=", filter.author);
  const start = page * DISCUSSIONS_PER_PAGE;
  const rows = await query
    .orderBy("discussions.num", "desc")
    .limit(DISCUSSIONS_PER_PAGE)
    .offset(start)
    .execute();
  const total = await query
    .clearSelect()
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirst();
  return { discussions: rows.map(toDiscussion), count: Number(total?.n ?? 0), start };
}

/** Records an event; a discussion holds at most `maxDiscussionEvents` (CWE-770). */
export async function addEvent(
  ctx: HubContext,
  discussion: Discussion,
  type: DiscussionEventType,
  author: { id: number; name: string },
  data: Record<string, unknown>,
): Promise<DiscussionEventJson> {
  const count = await ctx.db
    .selectFrom("discussion_events")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("discussion_id", "=", discussion.id)
    .executeTakeFirst();
  if (Number(count?.n ?? 0) >= ctx.limits.maxDiscussionEvents) {
    throw badInput(
      `discussion #${discussion.num} has ${ctx.limits.maxDiscussionEvents} events, the most allowed`,
    );
  }
  const createdAt = new Date().toISOString();
  const row = await ctx.db
    .insertInto("discussion_events")
    .values({
      discussion_id: discussion.id,
      type,
      author_id: author.id,
      data: JSON.stringify(data),
      created_at: createdAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return eventJson(row.id, type, createdAt, author.name, data);
}

/** Adds a comment by `author`. */
export function addComment(
  ctx: HubContext,
  discussion: Discussion,
  author: { id: number; name: string },
  text: string,
): Promise<DiscussionEventJson> {
  return addEvent(ctx, discussion, "comment", author, commentData(text, author.name, ctx));
}

/** A comment event's data: the Hub's shape, with the text as written (`latest.raw`). */
function commentData(text: string, authorName: string, ctx: HubContext): Record<string, unknown> {
  assertText(text, ctx, "comment");
  return {
    edited: false,
    hidden: false,
    numEdits: 0,
    latest: { raw: text, updatedAt: new Date().toISOString(), author: { name: authorName } },
  };
}

/** Every event of a discussion, oldest first. */
export async function eventsOf(ctx: HubContext, discussion: Discussion): Promise<DiscussionEventJson[]> {
  const rows = await ctx.db
    .selectFrom("discussion_events")
    .innerJoin("accounts", "accounts.id", "discussion_events.author_id")
    .select([
      "discussion_events.id as id",
      "discussion_events.type as type",
      "discussion_events.data as data",
      "discussion_events.created_at as createdAt",
      "accounts.name as authorName",
    ])
    .where("discussion_events.discussion_id", "=", discussion.id)
    .orderBy("discussion_events.id")
    .execute();
  return rows.map((r) =>
    eventJson(r.id, r.type as DiscussionEventType, r.createdAt, r.authorName, JSON.parse(r.data)),
  );
}

/** Sets a discussion's status (and the merge commit of a merged pull request). */
export async function setStatus(
  ctx: HubContext,
  discussion: Discussion,
  status: DiscussionStatus,
  mergeCommit?: string,
): Promise<void> {
  await ctx.db
    .updateTable("discussions")
    .set({ status, ...(mergeCommit ? { merge_commit: mergeCommit } : {}) })
    .where("id", "=", discussion.id)
    .execute();
}

/** Renames a discussion. */
export async function setTitle(ctx: HubContext, discussion: Discussion, title: string): Promise<void> {
  assertText(title, ctx, "title");
  await ctx.db.updateTable("discussions").set({ title }).where("id", "=", discussion.id).execute();
}

/** Removes a discussion and its events (a pull request whose first commit was refused). */
export async function removeDiscussion(ctx: HubContext, discussion: Discussion): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("discussion_events").where("discussion_id", "=", discussion.id).execute();
    await trx.deleteFrom("discussions").where("id", "=", discussion.id).execute();
  });
}

/** The list entry of a discussion, as the Hub sends it. */
export function discussionJson(d: Discussion, repo: RepoRef): Record<string, unknown> {
  return {
    num: d.num,
    title: d.title,
    status: d.status,
    createdAt: d.createdAt,
    isPullRequest: d.isPullRequest,
    author: { name: d.authorName, type: "user" },
    repo: { name: repo.fullName, type: repo.type },
    pinned: false,
    topReactions: [],
  };
}

function eventJson(
  id: number,
  type: DiscussionEventType,
  createdAt: string,
  authorName: string,
  data: Record<string, unknown>,
): DiscussionEventJson {
  // The Hub's event ids are 24 hex digits (the Python client lower-cases them into URLs).
  return {
    id: id.toString(16).padStart(24, "0"),
    type,
    createdAt,
    author: { name: authorName, type: "user" },
    data,
  };
}

function assertText(text: string, ctx: HubContext, what: string): void {
  if (text.trim().length === 0) throw badInput(`the ${what} is empty`);
  if (text.length > ctx.limits.maxMessageChars) {
    throw badInput(`the ${what} has ${text.length} characters; at most ${ctx.limits.maxMessageChars}`);
  }
}

function selectDiscussions(ctx: HubContext) {
  return ctx.db
    .selectFrom("discussions")
    .innerJoin("accounts", "accounts.id", "discussions.author_id")
    .selectAll("discussions")
    .select("accounts.name as author_name");
}

function toDiscussion(row: {
  id: number;
  repo_id: number;
  num: number;
  title: string;
  author_id: number;
  author_name: string;
  is_pr: number;
  status: string;
  target_branch: string | null;
  merge_commit: string | null;
  created_at: string;
}): Discussion {
  return {
    id: row.id,
    repoId: row.repo_id,
    num: row.num,
    title: row.title,
    authorId: row.author_id,
    authorName: row.author_name,
    isPullRequest: row.is_pr === 1,
    status: STATUSES.find((s) => s === row.status) ?? "closed",
    targetBranch: row.target_branch ?? undefined,
    mergeCommit: row.merge_commit ?? undefined,
    createdAt: row.created_at,
  };
}
