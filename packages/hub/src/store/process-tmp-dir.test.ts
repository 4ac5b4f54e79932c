import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeProcessTmpDir } from "./process-tmp-dir.js";

describe("makeProcessTmpDir", () => {
  let dataDir = "";
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "process-tmp-"));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it("keeps the folders of running processes and other hosts, and removes those of stopped ones", async () => {
    const host = hostname().replace(/[^A-Za-z0-9.-]/g, "_") || "host";
    const tmp = join(dataDir, "tmp");
    // A pid above Linux's largest (2^22) never runs.
    const names = {
      running: `${host}-${process.pid}-0123abcd`,
      stopped: `${host}-9999999-0123abcd`,
      elsewhere: `other-machine-9999999-0123abcd`,
      oldLayout: "lfs-3b241101-e2bb-4255-8caf-4136c566a962",
    };
    for (const name of Object.values(names)) await mkdir(join(tmp, name), { recursive: true });
    await writeFile(join(tmp, names.running, "upload"), "partial");
    const mine = await makeProcessTmpDir(dataDir);
    const left = await readdir(tmp);
    expect(left.sort()).toEqual([names.elsewhere, names.running, mine.path.slice(tmp.length + 1)].sort());
    await mine.remove();
    expect((await readdir(tmp)).sort()).toEqual([names.elsewhere, names.running].sort());
  });
});
