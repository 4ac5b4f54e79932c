import type { Kysely } from "kysely";
import type { Database } from "./db/schema.js";
import type { RefUpdater } from "./git/ref-updater.js";
import type { HubLimits } from "./limits.js";
import type { BranchCache } from "./repos/branch-cache.js";
import type { ScanService } from "./scan/scan-service.js";
import type { HubSigningKey } from "./signing/hub-signing-key.js";
import type { LfsStore } from "./store/lfs-store.js";

/** What to do with a push that adds a dangerous or infected file. */
export type PushPolicy = "warn" | "block";

/** Everything the routes share: storage, database, scanning and settings. */
export interface HubContext {
  db: Kysely<Database>;
  dataDir: string;
  reposDir: string;
  tmpDir: string;
  lfs: LfsStore;
  scans: ScanService;
  /** Last known state of recently written branches (a hint; git checks the real head). */
  branches: BranchCache;
  /** Moves branches (git update-ref transactions). */
  refs: RefUpdater;
  limits: HubLimits;
  /** Hub-wide defaults; organisations may override them. */
  policy: PushPolicy;
  quarantine: boolean;
  /** Key for signed LFS URLs (random per data folder). */
  urlKey: Buffer;
  /** Public base URL, when set; otherwise links are built from the request's Host. */
  publicUrl: string | undefined;
  /** The hub's OpenPGP key: signs every commit and tag the hub writes. */
  signer: HubSigningKey;
}
