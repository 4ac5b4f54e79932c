import { randomBytes } from "node:crypto";
import { appendFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useGitHub } from "./git-lfs-client.js";
import { api, sha256 } from "./http-helpers.js";

// `.gitattributes` decides, per path and per pushed commit, what the hub takes as an LFS pointer, as
// it decides for git-lfs: Debian's git and git-lfs push, the hub asks git (`check-attr` on the
// pushed commit's tree) rather than matching patterns itself.

const env = useGitHub("attrs");
let count = 0;

async function newClone(): Promise<{ repo: string; work: string }> {
  const name = `attrs-${++count}`;
  expect((await api(env.hub).post("/api/repos/create", { name })).status).toBe(200);
  const r = await env.alice.git(env.dir, ["clone", `${env.hub.url}/alice/${name}`, name]);
  expect(r.code, r.err).toBe(0);
  return { repo: `alice/${name}`, work: join(env.dir, name) };
}

/** Stages `content` at `path` as a plain git blob, bypassing git-lfs's clean filter (as a machine without git-lfs would). */
async function stagePlain(work: string, path: string, content: Uint8Array): Promise<void> {
  await writeFile(join(work, path), content);
  const oid = (await env.alice.git(work, ["hash-object", "-w", "--no-filters", path])).out.trim();
  const r = await env.alice.git(work, ["update-index", "--add", "--cacheinfo", `100644,${oid},${path}`]);
  expect(r.code, r.err).toBe(0);
}

async function commit(work: string, message: string): Promise<void> {
  const r = await env.alice.git(work, ["commit", "-q", "-m", message]);
  expect(r.code, r.err).toBe(0);
}

interface TreeEntry {
  path: string;
  size: number;
  lfs?: { oid: string; size: number };
}

async function tree(repo: string): Promise<Map<string, TreeEntry>> {
  const res = await api(env.hub).get(`/api/models/${repo}/tree/main?recursive=true`);
  expect(res.status).toBe(200);
  return new Map(((await res.json()) as TreeEntry[]).map((e) => [e.path, e]));
}

const fakePointer = (oid: string, size: number) =>
  `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`;

describe(".gitattributes LFS rules on git pushes", () => {
  it("takes pointer-shaped text where .gitattributes sends nothing through LFS as an ordinary file, and honours nested and negated rules", async () => {
    const { repo, work } = await newClone();
    // A nested .gitattributes sends data/*.txt through LFS; `special.bin` is taken out of the root's *.bin rule.
    await mkdir(join(work, "data"));
    await writeFile(join(work, "data", ".gitattributes"), "*.txt filter=lfs diff=lfs merge=lfs -text\n");
    await appendFile(join(work, ".gitattributes"), "special.bin !filter !diff !merge text\n");
    const never = sha256(randomBytes(32)); // an LFS object nobody uploaded
    const pointerText = fakePointer(never, 12345);
    await writeFile(join(work, "pointer-doc.txt"), pointerText);
    await writeFile(join(work, "special.bin"), pointerText);
    const real = randomBytes(3000);
    await writeFile(join(work, "data", "real.txt"), real);
    await env.alice.git(work, ["add", "-A"]);
    await commit(work, "attributes");
    // git agrees: only data/real.txt goes through the lfs filter (what git-lfs smudges on checkout).
    const attrs = await env.alice.git(work, [
      "check-attr",
      "filter",
      "--",
      "pointer-doc.txt",
      "special.bin",
      "data/real.txt",
    ]);
    expect(attrs.out).toBe(
      "pointer-doc.txt: filter: unspecified\nspecial.bin: filter: unspecified\ndata/real.txt: filter: lfs\n",
    );

    // git-lfs's pre-push hook takes every pointer-shaped blob for an object to upload, wherever it is,
    // and stops at the one it does not have; told to push what it has, it uploads data/real.txt.
    const push = await env.alice.git(work, ["-c", "lfs.allowincompletepush=true", "push", "origin", "main"]);
    expect(push.code, push.err).toBe(0);
    const files = await tree(repo);
    // Pointer-shaped text outside LFS paths is a regular file of its own size, not a missing object.
    expect(files.get("pointer-doc.txt")).toMatchObject({ size: pointerText.length });
    expect(files.get("pointer-doc.txt")?.lfs).toBeUndefined();
    expect(files.get("special.bin")?.lfs).toBeUndefined();
    expect(files.get("data/real.txt")?.lfs).toMatchObject({ oid: sha256(real), size: 3000 });
    const raw = await api(env.hub).get(`/${repo}/resolve/main/pointer-doc.txt`);
    expect(await raw.text()).toBe(pointerText);

    // The same bytes (a blob the repository already holds) copied to a path .gitattributes sends
    // through LFS are a pointer there, to an object never uploaded: checked at its new path.
    await stagePlain(work, "weights.bin", Buffer.from(pointerText));
    await commit(work, "pointer at an LFS path");
    const refused = await env.alice.git(work, ["push", "origin", "main"], { GIT_LFS_SKIP_PUSH: "1" });
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(
      new RegExp(`remote: +weights\\.bin: LFS object ${never} was not uploaded to this repository`),
    );
  }, 60_000);

  it("refuses a large binary pushed as a plain blob where .gitattributes says LFS, keeps a small one with a remote: warning, and takes the large one at a path outside LFS", async () => {
    const { repo, work } = await newClone();
    const big = randomBytes(11 * 1024 * 1024);
    await stagePlain(work, "big.bin", big);
    await commit(work, "big plain blob");
    const refused = await env.alice.git(work, ["push", "origin", "main"]);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain(
      `remote:   big.bin: .gitattributes sends it through git-lfs, but it was pushed as a plain ${big.length}-byte git blob; run \`git lfs install\`, then \`git lfs migrate import --include="big.bin"\``,
    );
    expect(refused.err).toMatch(/pre-receive hook declined/);

    await env.alice.git(work, ["reset", "-q", "--hard", "HEAD~1"]);
    const small = randomBytes(2000);
    await stagePlain(work, "small.bin", small);
    await stagePlain(work, "big.dat", big); // no LFS rule covers *.dat: a regular file under 64 MiB
    await commit(work, "small plain blob");
    const warned = await env.alice.git(work, ["push", "origin", "main"]);
    expect(warned.code, warned.err).toBe(0);
    expect(warned.err).toContain(
      "remote: modelgate: warning: small.bin: .gitattributes sends it through git-lfs, but it was pushed as a plain git blob (2000 bytes; git-lfs not installed?); kept and scanned as a regular file",
    );
    expect(warned.err).not.toContain("big.dat");
    const files = await tree(repo);
    expect(files.get("small.bin")).toMatchObject({ size: 2000 });
    expect(files.get("small.bin")?.lfs).toBeUndefined();
    expect(files.get("big.dat")).toMatchObject({ size: big.length });
  }, 90_000);
});
