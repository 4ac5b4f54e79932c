import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, file, header } from "./http-helpers.js";
import { startTestHub, type TestHub } from "./start-test-hub.js";

/** Paths that are `.git/...` on a Windows or macOS disk: a clone there would write into git's own folder. */
const DOTGIT_PATHS = [
  ".git./config",
  "git~1/config",
  ".git /x",
  "a/GIT~1. /hooks/post-checkout",
  ".g\u200cit/config",
  "models/.Git\ufeff/HEAD",
];

describe("paths that are .git on Windows or macOS disks", () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "m" });
  });
  afterAll(() => hub.close());

  it.each(DOTGIT_PATHS)(
    "refuses a commit adding %j, and the repository stays clean for git fsck",
    async (path) => {
      const res = await api(hub).commit("alice/m", [header(), file(path, "x")]);
      expect(res.status).toBe(400);
      expect(res.headers.get("x-error-code")).toBe("InvalidPath");
      const fsck = spawnSync(
        "git",
        ["--git-dir", join(hub.dataDir, "repos/models/alice/m.git"), "fsck", "--strict"],
        {
          encoding: "utf8",
        },
      );
      expect(`${fsck.stdout}${fsck.stderr}`).not.toContain("hasDotgit");
      expect(fsck.status).toBe(0);
    },
  );

  it("accepts names that only look like it (.gitignore, git~2, .gitx)", async () => {
    const res = await api(hub).commit("alice/m", [
      header(),
      file(".gitignore", "*.tmp\n"),
      file("git~2/x", "x"),
      file(".gitx/y", "y"),
    ]);
    expect(res.status).toBe(200);
  });
});
