import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commit, createRepo } from "@huggingface/hub";
import { createUser, type RunningHub, startHub } from "@modelgate/hub";
import { TOTP } from "otpauth";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, openPage } from "./browser";
import { buildPages } from "./build-pages";

// Account pages in a real Chromium against a real hub: sign-up by invitation, TOTP enrolment and
// sign-in (codes computed from the secret the page shows), recovery codes, tokens, org 2FA.

const PASSWORD = "a long test password";
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
const SLOW = 120_000;

/** The code an authenticator app shows for `secret`, `offset` ms from now. */
const codeFor = (secret: string, offset = 0) =>
  new TOTP({ secret, algorithm: "SHA1", digits: 6, period: 30 }).generate({ timestamp: Date.now() + offset });

describe("account pages in Chromium", () => {
  let dataDir: string;
  let hub: RunningHub;
  let browser: Browser;
  let daveToken = "";

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "modelgate-web-accounts-"));
    const webDir = join(dataDir, "www");
    await buildPages(webDir);
    await createUser({ dataDir }, "root", undefined, { password: PASSWORD, admin: true });
    await createUser({ dataDir }, "alice", "acme", { password: PASSWORD });
    daveToken = await createUser({ dataDir }, "dave", "acme", { password: PASSWORD });
    hub = await startHub({ host: "127.0.0.1", port: 0, dataDir, scanThreads: 1, webDir });
    browser = await launchChromium();
  }, SLOW);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const open = (path: string): Promise<Page> => openPage(browser, `${hub.url}${path}`);

  async function signIn(page: Page, user: string): Promise<void> {
    await page.goto(`${hub.url}/sign-in`);
    await page.getByLabel("User name").fill(user);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  async function enrolTotp(page: Page): Promise<{ secret: string; recovery: string[] }> {
    await page.goto(`${hub.url}/settings/security`);
    await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
    await poll(() => page.getByRole("img", { name: "QR code of the two-factor secret" }).isVisible()).toBe(
      true,
    );
    const secret = (await page.locator("#totp-secret").innerText()).trim();
    await page.getByLabel("Code from the app").fill(codeFor(secret));
    await page.getByRole("button", { name: "Turn on" }).click();
    await poll(() => page.locator(".recovery-codes li").count()).toBe(10);
    await poll(() => page.locator("#twofactor-status").innerText()).toBe("on");
    return { secret, recovery: await page.locator(".recovery-codes code").allInnerTexts() };
  }

  it(
    "signs up by invitation, enrols TOTP with the QR page, signs in with a code and with a recovery code",
    async () => {
      const admin = await open("/");
      await signIn(admin, "root");
      await admin.waitForURL(`${hub.url}/`);
      await admin.goto(`${hub.url}/settings/admin`);
      await admin.getByRole("button", { name: "Make an invitation link" }).click();
      const invitation = (await admin.locator("#invitation-url").innerText()).trim();
      expect(invitation).toMatch(/\/sign-up\?invitation=[A-Za-z0-9_-]{32}$/);
      await admin.context().close();

      const erin = await open(new URL(invitation).pathname + new URL(invitation).search);
      await erin.getByLabel("User name").fill("erin");
      await erin.getByLabel(/^Password/).fill(PASSWORD);
      await erin.getByRole("button", { name: "Create account" }).click();
      await erin.waitForURL("**/settings/security");
      await poll(() => erin.locator(".account").innerText()).toContain("erin");
      // The session cookie is HttpOnly and SameSite=Strict: page scripts cannot read it.
      const cookies = await erin.context().cookies();
      expect(cookies.find((c) => c.name === "modelgate_session")).toMatchObject({
        httpOnly: true,
        sameSite: "Strict",
      });
      expect(await erin.evaluate(() => document.cookie)).not.toContain("modelgate_session");
      expect(await erin.evaluate(() => JSON.stringify(localStorage))).toBe("{}");

      const { secret, recovery } = await enrolTotp(erin);
      await erin.getByRole("button", { name: "Sign out", exact: true }).click();
      await poll(() =>
        erin.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" }).isVisible(),
      ).toBe(true);

      // Sign in: the password, then the code (the next step's: the enrolment used this one).
      await signIn(erin, "erin");
      await erin.getByLabel("Authentication code").fill(codeFor(secret, 30_000));
      await erin.getByRole("button", { name: "Verify" }).click();
      await erin.waitForURL(`${hub.url}/`);
      await poll(() => erin.locator(".account").innerText()).toContain("erin");
      await erin.context().close();

      const lost = await open("/");
      await signIn(lost, "erin");
      await lost.getByRole("button", { name: "Use a recovery code instead" }).click();
      await lost.getByLabel("Recovery code").fill(recovery[0] ?? "");
      await lost.getByRole("button", { name: "Verify" }).click();
      await lost.waitForURL(`${hub.url}/`);
      await poll(() => lost.locator(".account").innerText()).toContain("erin");
      await lost.context().close();

      // A used recovery code does not sign in again.
      const again = await open("/");
      await signIn(again, "erin");
      await again.getByRole("button", { name: "Use a recovery code instead" }).click();
      await again.getByLabel("Recovery code").fill(recovery[0] ?? "");
      await again.getByRole("button", { name: "Verify" }).click();
      await poll(() => again.getByRole("alert").first().innerText()).toContain(
        "wrong user name, password or code",
      );
      await again.context().close();
    },
    SLOW,
  );

  it(
    "creates a token in the pages, which works until it is revoked there",
    async () => {
      const page = await open("/");
      await signIn(page, "alice");
      await page.waitForURL(`${hub.url}/`);
      await page.goto(`${hub.url}/settings/tokens`);
      await page.getByLabel("Token name").fill("laptop");
      await page.getByLabel("Role").selectOption("write");
      await page.getByRole("button", { name: "Create token" }).click();
      const token = (await page.locator(".new-token").innerText()).trim();
      expect(token).toMatch(/^hf_[A-Za-z]{34}$/);
      const whoami = () =>
        fetch(`${hub.url}/api/whoami-v2`, { headers: { authorization: `Bearer ${token}` } });
      expect((await whoami()).status).toBe(200);
      const row = page.getByRole("row").filter({ hasText: "laptop" });
      await poll(() => row.innerText()).toContain("write");
      await row.getByRole("button", { name: "Revoke laptop" }).click();
      await poll(() => row.innerText()).toContain("revoked");
      expect((await whoami()).status).toBe(401);
      await page.goto(`${hub.url}/settings/audit-log`);
      await poll(() => page.getByRole("table", { name: "Your audit log" }).innerText()).toContain(
        "token.revoked",
      );
      await page.context().close();
    },
    SLOW,
  );

  it(
    "an organisation's 2FA requirement set in its settings page withholds writes until the member enrols",
    async () => {
      await createRepo({ repo: "acme/shared", accessToken: daveToken, hubUrl: hub.url });
      const push = (title: string) =>
        commit({
          repo: "acme/shared",
          accessToken: daveToken,
          hubUrl: hub.url,
          useXet: false,
          title,
          operations: [{ operation: "addOrUpdate", path: `${title}.txt`, content: new Blob([title]) }],
        });
      await push("before");

      const alice = await open("/");
      await signIn(alice, "alice");
      await alice.waitForURL(`${hub.url}/`);
      await alice.goto(`${hub.url}/organizations/acme/settings`);
      await alice.getByRole("checkbox", { name: /Require two-factor authentication/ }).check();
      const daveRow = alice.getByRole("row").filter({ hasText: "dave" });
      await poll(() => daveRow.innerText()).toContain("off: cannot write");
      await expect(push("refused")).rejects.toThrow(/requires two-factor authentication/);

      const dave = await open("/");
      await signIn(dave, "dave");
      await dave.waitForURL(`${hub.url}/`);
      await dave.goto(`${hub.url}/settings/security`);
      await poll(() => dave.getByRole("alert").first().innerText()).toContain(
        "acme require two-factor authentication",
      );
      await enrolTotp(dave);
      await push("after");
      await alice.reload();
      await poll(() => alice.getByRole("row").filter({ hasText: "dave" }).innerText()).toMatch(/\ton$/m);
      await poll(() => alice.getByRole("table", { name: "acme audit log" }).innerText()).toContain(
        "org.policy-changed",
      );
      // Branch rules: the organisation's admin refuses force pushes on main and release branches.
      const rules = alice.getByRole("form", { name: "Refuse force pushes on branches" });
      await rules.getByRole("textbox").fill("main, release/*");
      await rules.getByRole("button", { name: "Save" }).click();
      await poll(() => rules.getByRole("status").innerText()).toBe("Saved: main, release/*");
      const saved = await fetch(`${hub.url}/api/organizations/acme/settings/no-force-push`, {
        headers: { Authorization: `Bearer ${daveToken}` },
      });
      expect(saved.status).toBe(403); // dave is a member, not an admin
      await alice.reload();
      await poll(() => alice.getByRole("textbox", { name: /Refuse force pushes/ }).inputValue()).toBe(
        "main release/*",
      );
      await poll(() => alice.getByRole("table", { name: "acme audit log" }).innerText()).toContain(
        "no-force-push.rule-changed",
      );
      await alice.context().close();
      await dave.context().close();
    },
    SLOW,
  );
});
