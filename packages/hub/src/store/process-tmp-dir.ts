import { randomBytes } from "node:crypto";
import { mkdir, readdir, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { HUB_FIXED_LIMITS } from "../limits.js";

/** This process's temporary folder and how to remove it. */
export interface ProcessTmpDir {
  path: string;
  remove(): Promise<void>;
}

/** Folders of a `tmp/` examined for leftovers at start (CWE-770: a folder full of junk is not walked whole). */
const MAX_TMP_FOLDERS_EXAMINED = HUB_FIXED_LIMITS.maxTmpFoldersExamined;

/**
 * Makes this process's own temporary folder, `<dataDir>/tmp/<host>-<pid>-<random>`: several hub
 * processes (on one machine or several) share a data folder, and none may delete another's partial
 * uploads. It is inside the data folder so finished files are renamed into place on the same file
 * system. Folders left by processes of this host that no longer run are removed (their partial
 * files are garbage); another host's are left to that host, which cannot be asked whether they live.
 */
export async function makeProcessTmpDir(dataDir: string): Promise<ProcessTmpDir> {
  const root = join(dataDir, "tmp");
  await mkdir(root, { recursive: true });
  const host = hostname().replace(/[^A-Za-z0-9.-]/g, "_") || "host";
  const names = (await readdir(root)).slice(0, MAX_TMP_FOLDERS_EXAMINED);
  for (const name of names) {
    const owner = parseFolderName(name);
    // Anything else in tmp/ was left by a hub from before per-process folders: garbage too.
    if (owner === undefined || (owner.host === host && !isRunning(owner.pid))) {
      await rm(join(root, name), { recursive: true, force: true });
    }
  }
  const path = join(root, `${host}-${process.pid}-${randomBytes(4).toString("hex")}`);
  await mkdir(path, { recursive: true });
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

function parseFolderName(name: string): { host: string; pid: number } | undefined {
  const m = /^(.+)-(\d+)-[0-9a-f]{8}$/.exec(name);
  return m ? { host: m[1] as string, pid: Number(m[2]) } : undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
