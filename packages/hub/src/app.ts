import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { escapeControl, type UserPolicy } from "@modelgate/scanner";
import Fastify, { type FastifyInstance, LogController } from "fastify";
import { revokeLeakedTokens } from "./auth/revoke-leaked-tokens.js";
import type { HubContext, PushPolicy } from "./context.js";
import { openDatabase } from "./db/open-database.js";
import { RefUpdater } from "./git/ref-updater.js";
import { writePreReceiveHook } from "./git-http/pre-receive-hook.js";
import { type HubLimits, resolveHubLimits } from "./limits.js";
import { HubMetrics } from "./ops/hub-metrics.js";
import { authPlugin } from "./plugins/auth.js";
import { errorsPlugin } from "./plugins/errors.js";
import { type LogLevel, requestLogPlugin } from "./plugins/request-log.js";
import { requestMetricsPlugin } from "./plugins/request-metrics.js";
import { defaultWebDir, webPagesPlugin } from "./plugins/web-pages.js";
import { BranchCache } from "./repos/branch-cache.js";
import { accountRoutes } from "./routes/account-routes.js";
import { adminRoutes } from "./routes/admin-routes.js";
import { authRoutes } from "./routes/auth-routes.js";
import { branchRuleRoutes } from "./routes/branch-rule-routes.js";
import { commitRoutes } from "./routes/commit.js";
import { discussionRoutes } from "./routes/discussions.js";
import { eventRoutes } from "./routes/events.js";
import { fileScanRoutes } from "./routes/file-scan.js";
import { gitHttpRoutes } from "./routes/git-http.js";
import { historyRoutes } from "./routes/history.js";
import { lfsRoutes } from "./routes/lfs.js";
import { lfsLockRoutes } from "./routes/lfs-locks.js";
import { lfsObjectRoutes } from "./routes/lfs-objects.js";
import { listingRoutes } from "./routes/listing.js";
import { opsRoutes } from "./routes/ops-routes.js";
import { orgSettingsRoutes } from "./routes/org-settings-routes.js";
import { refRoutes } from "./routes/refs.js";
import { repoInfoRoutes } from "./routes/repo-info.js";
import { repoRoutes } from "./routes/repos.js";
import { resolveRoutes } from "./routes/resolve.js";
import { signingKeyRoutes } from "./routes/signing-key.js";
import { tokenRoutes } from "./routes/token-routes.js";
import { treeRoutes } from "./routes/tree.js";
import { twoFactorRoutes } from "./routes/two-factor-routes.js";
import { userSigningKeyRoutes } from "./routes/user-signing-key-routes.js";
import { validateYamlRoutes } from "./routes/validate-yaml.js";
import { whoamiRoutes } from "./routes/whoami.js";
import { clamavVersionOf, IdentityTracker } from "./scan/identity-tracker.js";
import { RescanScheduler } from "./scan/rescan-scheduler.js";
import type { ScanRunner } from "./scan/scan-job.js";
import { ScanService } from "./scan/scan-service.js";
import { workerPoolRunner } from "./scan/worker-pool-runner.js";
import { openHubSigningKey } from "./signing/hub-signing-key.js";
import { LfsStore } from "./store/lfs-store.js";
import { makeProcessTmpDir } from "./store/process-tmp-dir.js";

/** Options of `buildApp`; only `dataDir` is required. */
export interface HubOptions {
  /** Folder for the repositories, LFS objects and (without `databaseUrl`) the SQLite database (created if missing). */
  dataDir: string;
  /** A PostgreSQL database (`postgres://...`) instead of SQLite in `dataDir`; see `HubStorage`. */
  databaseUrl?: string | undefined;
  /** Push policy for dangerous or infected files: `warn` (default, as the Hub) or `block`. */
  policy?: PushPolicy;
  /** Refuse downloads of unsafe or infected files unless the request accepts the risk (default false). */
  quarantine?: boolean;
  limits?: Partial<HubLimits>;
  /** Scan worker threads (default: cores - 1, at least 1). */
  scanThreads?: number;
  /** ClamAV daemon for malware scanning of pushes (`unix:/path/clamd.sock` or `tcp://host:port`). */
  clamd?: string;
  /**
   * The import policy scans apply (a policy file as `parseUserPolicy` reads it; default the built-in
   * table). Results are stored with the policy's digest: starting with another policy rescans every
   * stored file in the background (`limits.rescanFilesPerMinute`).
   */
  scanPolicy?: UserPolicy;
  /** Replaces the worker-thread scanner (tests). */
  scanRunner?: ScanRunner;
  /** Public base URL used in links (default: from each request's Host header). */
  publicUrl?: string;
  /**
   * The hub's commit-signing key: an ASCII-armored, unencrypted OpenPGP secret key file (default: an
   * ed25519 key generated into `<dataDir>/signing/` on first start, user id `modelgate hub <hub@HOST>`,
   * HOST from `publicUrl` or the machine's host name).
   */
  signingKeyFile?: string;
  /** Built web pages to serve at `/` (default: `@modelgate/web`'s `dist/www` when built; `false`: API only). */
  webDir?: string | false;
  /**
   * Log level of the hub's pino logger (Fastify's): one line per request at `info`, 5xx errors with
   * their stack at `error`. Default `silent` (embedded use and tests); `modelgate serve` uses `info`.
   */
  logLevel?: LogLevel;
  /** Where log lines go (default standard output). */
  logStream?: { write(line: string): void };
  /**
   * On `close()`, how long running scans may take to finish before they are stopped and returned to
   * the queue (default 10 s; `modelgate serve` closes on SIGTERM and SIGINT).
   */
  shutdownGraceMs?: number;
}

/** Default of `HubOptions.shutdownGraceMs`: well inside the 30 s a container orchestrator waits after SIGTERM. */
const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

declare module "fastify" {
  interface FastifyInstance {
    hub: HubContext;
  }
}

/**
 * Builds the hub: a Fastify app serving the Hugging Face Hub API over git repositories and an LFS
 * store in `dataDir`, scanning every push. Call `listen()` on it, and `close()` to stop (which also
 * stops the scan workers and closes the database).
 */
export async function buildApp(options: HubOptions): Promise<FastifyInstance> {
  const limits = resolveHubLimits(options.limits);
  const dataDir = options.dataDir;
  // Its own: other hub processes on this data folder keep theirs (partial uploads) while it runs.
  const processTmp = await makeProcessTmpDir(dataDir);
  const tmpDir = processTmp.path;
  // Before anything else opens: a key that cannot sign stops the hub instead of unsigned commits.
  const signer = await openHubSigningKey({
    dataDir,
    keyFile: options.signingKeyFile,
    host: options.publicUrl ? new URL(options.publicUrl).hostname : undefined,
  });
  const db = await openDatabase({ dataDir, databaseUrl: options.databaseUrl });
  const lfs = new LfsStore(join(dataDir, "lfs"), tmpDir);
  const app = Fastify({
    logger: {
      level: options.logLevel ?? "silent",
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    // One line per request, written by requestLogPlugin, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: limits.maxJsonBodyBytes,
  });
  const log = (message: string, err?: unknown) => app.log.error({ err }, escapeControl(message));
  const identity = new IdentityTracker(
    db,
    options.scanPolicy,
    options.clamd !== undefined ? clamavVersionOf(options.clamd) : undefined,
  );
  await identity.refresh();
  const scans = new ScanService({
    db,
    lfs,
    runner: options.scanRunner ?? workerPoolRunner(options.scanThreads),
    timeoutMs: limits.scanTimeoutMs,
    clamd: options.clamd,
    policy: options.scanPolicy,
    identity,
    // Messages name repositories and files: control characters in them are escaped.
    log,
    onReport: (report) => revokeLeakedTokens(db, report),
    tmpDir,
    reposDir: join(dataDir, "repos"),
    observer: { scanFinished: (verdict, seconds) => metrics.scanFinished(verdict, seconds) },
  });
  const metrics = new HubMetrics(db, () => scans.runningCount());
  const rescans = new RescanScheduler({
    db,
    scans,
    identity,
    filesPerMinute: limits.rescanFilesPerMinute,
    checkIntervalMs: limits.rescanCheckIntervalMs,
    // A claimed rescan waits for at most the push scans ahead of it, then runs for at most the timeout.
    claimTimeoutMs: 2 * limits.scanTimeoutMs,
    log,
  });
  const ctx: HubContext = {
    db,
    dataDir,
    reposDir: join(dataDir, "repos"),
    tmpDir,
    lfs,
    scans,
    branches: new BranchCache(),
    refs: new RefUpdater(),
    limits,
    policy: options.policy ?? "warn",
    quarantine: options.quarantine ?? false,
    urlKey: await urlKey(db),
    publicUrl: options.publicUrl,
    signer,
  };
  app.decorate("hub", ctx);
  errorsPlugin(app);
  requestLogPlugin(app);
  requestMetricsPlugin(app, metrics);
  authPlugin(app, ctx);
  whoamiRoutes(app, ctx);
  authRoutes(app, ctx);
  tokenRoutes(app, ctx);
  twoFactorRoutes(app, ctx);
  accountRoutes(app, ctx);
  orgSettingsRoutes(app, ctx);
  adminRoutes(app, ctx);
  userSigningKeyRoutes(app, ctx);
  branchRuleRoutes(app, ctx);
  repoRoutes(app, ctx);
  repoInfoRoutes(app, ctx);
  treeRoutes(app, ctx);
  resolveRoutes(app, ctx);
  lfsRoutes(app, ctx);
  lfsObjectRoutes(app, ctx);
  lfsLockRoutes(app, ctx);
  commitRoutes(app, ctx);
  eventRoutes(app, ctx);
  listingRoutes(app, ctx);
  historyRoutes(app, ctx);
  refRoutes(app, ctx);
  discussionRoutes(app, ctx);
  fileScanRoutes(app, ctx);
  validateYamlRoutes(app);
  opsRoutes(app, ctx, metrics);
  signingKeyRoutes(app, ctx);
  // In this process's folder: the hook calls back the process whose git runs it, with its own Node.
  gitHttpRoutes(app, ctx, await writePreReceiveHook(tmpDir));
  await webPagesPlugin(app, options.webDir === false ? undefined : (options.webDir ?? defaultWebDir()));
  app.addHook("onClose", async () => {
    await rescans.stop();
    await scans.close(options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
    ctx.refs.closeAll();
    await db.destroy();
    await processTmp.remove();
  });
  await scans.resume();
  rescans.start();
  return app;
}

/** The key that signs LFS upload URLs: random, made once per data folder. */
async function urlKey(db: HubContext["db"]): Promise<Buffer> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", "url-key").executeTakeFirst();
  if (row) return Buffer.from(row.value, "base64");
  await db
    .insertInto("settings")
    .values({ key: "url-key", value: randomBytes(32).toString("base64") })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  // Read back: another hub process starting at the same moment may have inserted its key first, and
  // every process must sign and check URLs with the same one.
  const stored = await db
    .selectFrom("settings")
    .select("value")
    .where("key", "=", "url-key")
    .executeTakeFirstOrThrow();
  return Buffer.from(stored.value, "base64");
}
