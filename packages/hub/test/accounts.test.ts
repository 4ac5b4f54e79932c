import { TOTP } from "otpauth";
import { afterEach, describe, expect, it } from "vitest";
import { createUser } from "../src/auth/create-user.js";
import { openDatabase } from "../src/db/open-database.js";
import { api, file, header } from "./http-helpers.js";
import { postSignIn, sessionFetch, signIn, type TestSession } from "./session-helpers.js";
import { maliciousPickle, startTestHub, type TestHub, waitFor } from "./start-test-hub.js";

const PASSWORD = "correct horse battery";
/** Tests that hash many passwords (scrypt, about 0.1 s each on an idle core) get more time. */
const SLOW = 120_000;

/** The code an authenticator app shows for `secret` at `time` (ms). */
function codeFor(secret: string, time = Date.now()): string {
  return new TOTP({ secret, algorithm: "SHA1", digits: 6, period: 30 }).generate({ timestamp: time });
}

/** Enrols TOTP for a session's user and returns the secret and the recovery codes. */
async function enrol(
  hub: TestHub,
  session: TestSession,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = (await (await sessionFetch(hub, session, "POST", "/api/settings/2fa/setup", {})).json()) as {
    secret: string;
    uri: string;
    qr: string;
  };
  expect(setup.uri).toMatch(/^otpauth:\/\/totp\/modelgate%20hub:[a-z]+\?/);
  expect(setup.qr).toMatch(/^data:image\/png;base64,/);
  const res = await sessionFetch(hub, session, "POST", "/api/settings/2fa/enable", {
    code: codeFor(setup.secret),
  });
  expect(res.status).toBe(200);
  const { recoveryCodes } = (await res.json()) as { recoveryCodes: string[] };
  return { secret: setup.secret, recoveryCodes };
}

async function auditKinds(hub: TestHub, session: TestSession): Promise<string[]> {
  const entries = (await (await sessionFetch(hub, session, "GET", "/api/settings/audit-log")).json()) as {
    kind: string;
  }[];
  return entries.map((e) => e.kind);
}

describe("accounts: passwords, sessions, 2FA, tokens, audit", () => {
  let hub: TestHub | undefined;
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  async function start(options: Parameters<typeof startTestHub>[0] = {}): Promise<TestHub> {
    hub = await startTestHub(options);
    await createUser(hub, "carol", "lab", { password: PASSWORD });
    return hub;
  }

  it(
    "signs in with a password: HttpOnly SameSite=Strict cookie, Secure only over TLS",
    async () => {
      const h = await start();
      const session = await signIn(h, { username: "carol", password: PASSWORD });
      expect(session.setCookie).toMatch(/^modelgate_session=[A-Za-z0-9_-]{43}; /);
      expect(session.setCookie).toContain("HttpOnly");
      expect(session.setCookie).toContain("SameSite=Strict");
      expect(session.setCookie).not.toContain("Secure");
      const info = (await (await sessionFetch(h, session, "GET", "/api/auth/session")).json()) as {
        name: string;
      };
      expect(info.name).toBe("carol");
      await h.close();
      hub = undefined;
      const tls = await start({ publicUrl: "https://hub.example" });
      expect((await signIn(tls, { username: "carol", password: PASSWORD })).setCookie).toContain("; Secure");
    },
    SLOW,
  );

  it(
    "refuses a wrong password with one message whatever the name, and audits the failure",
    async () => {
      const h = await start();
      for (const username of ["carol", "nobody"]) {
        const res = await postSignIn(h, { username, password: "wrong password!" });
        expect(res.status).toBe(401);
        expect(((await res.json()) as { message: string }).message).toBe("wrong user name, password or code");
      }
      const session = await signIn(h, { username: "carol", password: PASSWORD });
      expect(await auditKinds(h, session)).toEqual(["sign-in", "sign-in.failed", "user.created"]);
    },
    SLOW,
  );

  it(
    "password guessing hits the per-account limit: the right password is refused too (429)",
    async () => {
      const h = await start();
      for (let i = 0; i < 5; i++)
        expect((await postSignIn(h, { username: "carol", password: `guess ${i}xxxxx` })).status).toBe(401);
      const res = await postSignIn(h, { username: "carol", password: PASSWORD });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(800);
    },
    SLOW,
  );

  it(
    "guessing across many accounts from one address hits the per-address limit",
    async () => {
      const h = await start();
      for (let i = 0; i < 20; i++) {
        expect((await postSignIn(h, { username: `user${i}`, password: "not it at all" })).status).toBe(401);
      }
      expect((await postSignIn(h, { username: "carol", password: PASSWORD })).status).toBe(429);
    },
    SLOW,
  );

  it(
    "a session's state-changing request without its CSRF token is refused",
    async () => {
      const h = await start();
      const session = await signIn(h, { username: "carol", password: PASSWORD });
      const body = { displayName: "ci", role: "read" };
      const forged = await sessionFetch(h, session, "POST", "/api/settings/tokens", body, { csrf: false });
      expect(forged.status).toBe(403);
      const wrong = await sessionFetch(
        h,
        { ...session, csrf: "x".repeat(43) },
        "POST",
        "/api/settings/tokens",
        body,
      );
      expect(wrong.status).toBe(403);
      expect((await sessionFetch(h, session, "POST", "/api/settings/tokens", body)).status).toBe(200);
      // Sign-in itself takes only JSON, which a cross-site form cannot send.
      const form = await fetch(`${h.url}/api/auth/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `username=carol&password=${encodeURIComponent(PASSWORD)}`,
      });
      expect(form.status).toBe(400);
    },
    SLOW,
  );

  it(
    "sign out everywhere ends every session",
    async () => {
      const h = await start();
      const a = await signIn(h, { username: "carol", password: PASSWORD });
      const b = await signIn(h, { username: "carol", password: PASSWORD });
      expect((await sessionFetch(h, a, "POST", "/api/auth/sign-out-everywhere", {})).status).toBe(200);
      const info = (await (await sessionFetch(h, b, "GET", "/api/auth/session")).json()) as {
        signedIn: boolean;
      };
      expect(info.signedIn).toBe(false);
      expect((await sessionFetch(h, b, "GET", "/api/settings/tokens")).status).toBe(401);
    },
    SLOW,
  );

  it(
    "TOTP: sign-in needs the code, a code is not accepted twice, a recovery code works once",
    async () => {
      const h = await start();
      const session = await signIn(h, { username: "carol", password: PASSWORD });
      const { secret, recoveryCodes } = await enrol(h, session);
      expect(recoveryCodes).toHaveLength(10);
      const noCode = await postSignIn(h, { username: "carol", password: PASSWORD });
      expect(noCode.status).toBe(401);
      expect(noCode.headers.get("x-error-code")).toBe("TwoFactorRequired");
      // The enrolment used this step's code: the next step's code signs in, once.
      const next = codeFor(secret, Date.now() + 30_000);
      await signIn(h, { username: "carol", password: PASSWORD, otp: next });
      expect((await postSignIn(h, { username: "carol", password: PASSWORD, otp: next })).status).toBe(401);
      const code = recoveryCodes[0] ?? "";
      await signIn(h, { username: "carol", password: PASSWORD, recoveryCode: code.toUpperCase() });
      expect(
        (await postSignIn(h, { username: "carol", password: PASSWORD, recoveryCode: code })).status,
      ).toBe(401);
      const kinds = await auditKinds(h, session);
      expect(kinds).toContain("2fa.enabled");
      expect(kinds).toContain("2fa.recovery-code-used");
    },
    SLOW,
  );

  it(
    "tokens: created with a name, role and expiry, listed with last use; revoked or expired -> 401 on the next call",
    async () => {
      const h = await start();
      const session = await signIn(h, { username: "carol", password: PASSWORD });
      const made = (await (
        await sessionFetch(h, session, "POST", "/api/settings/tokens", {
          displayName: "laptop",
          role: "write",
        })
      ).json()) as { id: string; token: string };
      expect(made.token).toMatch(/^hf_[A-Za-z]{34}$/);
      const carol = api(h, made.token);
      expect((await carol.get("/api/whoami-v2")).status).toBe(200);
      const listed = (await (await sessionFetch(h, session, "GET", "/api/settings/tokens")).json()) as {
        id: string;
        displayName: string;
        lastUsedAt: string | null;
      }[];
      const laptop = listed.find((t) => t.id === made.id);
      expect(laptop?.displayName).toBe("laptop");
      expect(laptop?.lastUsedAt).not.toBeNull();
      expect(JSON.stringify(listed)).not.toContain(made.token);
      expect((await sessionFetch(h, session, "DELETE", `/api/settings/tokens/${made.id}`)).status).toBe(200);
      expect((await carol.get("/api/whoami-v2")).status).toBe(401);

      const soon = new Date(Date.now() + 1500).toISOString();
      const short = (await (
        await sessionFetch(h, session, "POST", "/api/settings/tokens", {
          displayName: "short",
          role: "read",
          expiresAt: soon,
        })
      ).json()) as { token: string };
      expect((await api(h, short.token).get("/api/whoami-v2")).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1600));
      expect((await api(h, short.token).get("/api/whoami-v2")).status).toBe(401);
      const kinds = await auditKinds(h, session);
      expect(kinds).toEqual(expect.arrayContaining(["token.created", "token.revoked", "token.new-address"]));
    },
    SLOW,
  );

  it(
    "a read token cannot write; a fine-grained token cannot touch another repository",
    async () => {
      const h = await start();
      const alice = api(h);
      await alice.post("/api/repos/create", { name: "a", private: true });
      await alice.post("/api/repos/create", { name: "b" });
      await alice.post("/api/repos/create", { name: "c", private: true });
      const make = async (body: unknown) =>
        ((await (await alice.post("/api/settings/tokens", body)).json()) as { token: string }).token;
      const read = await make({ displayName: "r", role: "read" });
      expect((await api(h, read).commit("alice/a", [header(), file("x.txt", "x")])).status).toBe(403);
      expect((await api(h, read).get("/api/models/alice/a")).status).toBe(200);
      expect(
        (await api(h, read).post("/api/settings/tokens", { displayName: "x", role: "write" })).status,
      ).toBe(403);

      const scoped = await make({
        displayName: "only a",
        role: "fineGrained",
        fineGrained: {
          scoped: [
            { entity: { type: "model", name: "alice/a" }, permissions: ["repo.content.read", "repo.write"] },
          ],
        },
      });
      const fg = api(h, scoped);
      expect((await fg.commit("alice/a", [header(), file("x.txt", "x")])).status).toBe(200);
      expect((await fg.commit("alice/b", [header(), file("x.txt", "x")])).status).toBe(403);
      expect((await fg.get("/api/models/alice/b")).status).toBe(200);
      expect((await fg.get("/api/models/alice/c")).status).toBe(404);
      expect((await fg.commit("alice/c", [header(), file("x.txt", "x")])).status).toBe(404);
      expect((await fg.post("/api/repos/create", { name: "c" })).status).toBe(403);
      const who = (await (await fg.get("/api/whoami-v2")).json()) as {
        auth: { accessToken: { role: string } };
      };
      expect(who.auth.accessToken.role).toBe("fineGrained");
    },
    SLOW,
  );

  it(
    "an organisation requiring 2FA withholds write access from members until they enrol",
    async () => {
      const h = await start();
      await createUser(h, "dave", "lab", { password: PASSWORD });
      const carol = await signIn(h, { username: "carol", password: PASSWORD });
      // carol created lab (its admin); dave is a member who writes.
      const dave = await signIn(h, { username: "dave", password: PASSWORD });
      expect(
        (await sessionFetch(h, dave, "POST", "/api/repos/create", { name: "m", organization: "lab" })).status,
      ).toBe(200);
      expect(
        (await sessionFetch(h, dave, "PUT", "/api/organizations/lab/settings", { require2fa: true })).status,
      ).toBe(403);
      expect(
        (await sessionFetch(h, carol, "PUT", "/api/organizations/lab/settings", { require2fa: true })).status,
      ).toBe(200);
      const push = () =>
        fetch(`${h.url}/api/models/lab/m/commit/main`, {
          method: "POST",
          headers: { cookie: dave.cookie, "x-csrf-token": dave.csrf, "content-type": "application/x-ndjson" },
          body: [header(), file("x.txt", "x")].map((l) => JSON.stringify(l)).join("\n"),
        });
      const refused = await push();
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain("requires two-factor authentication");
      // Reading still works.
      expect((await sessionFetch(h, dave, "GET", "/api/models/lab/m")).status).toBe(200);
      await enrol(h, dave);
      expect((await push()).status).toBe(200);
      const orgLog = (await (
        await sessionFetch(h, carol, "GET", "/api/organizations/lab/audit-log")
      ).json()) as {
        kind: string;
        actor: string;
      }[];
      expect(orgLog.map((e) => `${e.kind} ${e.actor}`)).toContain("org.policy-changed carol");
      expect((await sessionFetch(h, dave, "GET", "/api/organizations/lab/audit-log")).status).toBe(403);
    },
    SLOW,
  );

  it(
    "a leaked token of this hub found in any push is revoked at once and its owner notified",
    async () => {
      const h = await start();
      const carol = await signIn(h, { username: "carol", password: PASSWORD });
      const { token } = (await (
        await sessionFetch(h, carol, "POST", "/api/settings/tokens", { displayName: "ci", role: "write" })
      ).json()) as { token: string };
      expect((await api(h, token).get("/api/whoami-v2")).status).toBe(200);
      // bob pushes carol's token into his own private repository.
      const bob = api(h, h.otherToken);
      await bob.post("/api/repos/create", { name: "notes", private: true });
      expect(
        (await bob.commit("bob/notes", [header(), file("config.json", JSON.stringify({ hf_token: token }))]))
          .status,
      ).toBe(200);
      await waitFor(async () =>
        (await api(h, token).get("/api/whoami-v2")).status === 401 ? true : undefined,
      );
      const notes = (await (await sessionFetch(h, carol, "GET", "/api/settings/notifications")).json()) as {
        kind: string;
        message: string;
      }[];
      expect(notes[0]?.kind).toBe("token-leaked");
      expect(notes[0]?.message).toContain('"ci"');
      expect(notes[0]?.message).not.toContain("bob");
      expect(await auditKinds(h, carol)).toContain("token.leaked-revoked");
    },
    SLOW,
  );

  it(
    "the audit log is append-only in the database",
    async () => {
      const h = await start();
      await postSignIn(h, { username: "carol", password: "wrong password!" });
      const db = await openDatabase(h);
      try {
        await expect(db.updateTable("audit_log").set({ kind: "sign-in" }).execute()).rejects.toThrow(
          /append-only/,
        );
        await expect(db.deleteFrom("audit_log").execute()).rejects.toThrow(/append-only/);
        expect((await db.selectFrom("audit_log").select("kind").execute()).map((r) => r.kind)).toContain(
          "sign-in.failed",
        );
      } finally {
        await db.destroy();
      }
    },
    SLOW,
  );

  it(
    "an admin invites a user who signs up with a password and joins the organisation",
    async () => {
      const h = await start();
      await createUser(h, "root", undefined, { password: PASSWORD, admin: true });
      const admin = await signIn(h, { username: "root", password: PASSWORD });
      const carol = await signIn(h, { username: "carol", password: PASSWORD });
      expect((await sessionFetch(h, carol, "POST", "/api/admin/invitations", {})).status).toBe(403);
      const invite = (await (
        await sessionFetch(h, admin, "POST", "/api/admin/invitations", { org: "lab" })
      ).json()) as {
        code: string;
        url: string;
      };
      expect(invite.url).toContain(`/sign-up?invitation=${invite.code}`);
      const signUp = (body: unknown) =>
        fetch(`${h.url}/api/auth/sign-up`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      expect((await signUp({ invitation: invite.code, username: "erin", password: "short" })).status).toBe(
        400,
      );
      const ok = await signUp({ invitation: invite.code, username: "erin", password: PASSWORD });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { orgs: { name: string }[] }).orgs.map((o) => o.name)).toEqual(["lab"]);
      expect((await signUp({ invitation: invite.code, username: "frank", password: PASSWORD })).status).toBe(
        403,
      );
      expect(
        (await sessionFetch(h, admin, "POST", "/api/admin/users", { name: "gina", password: PASSWORD }))
          .status,
      ).toBe(200);
      await signIn(h, { username: "gina", password: PASSWORD });
    },
    SLOW,
  );

  it(
    "pushes refused by policy and quarantine overrides are in the owner's and the actor's audit logs",
    async () => {
      const h = await start({ policy: "block", quarantine: true });
      const alice = api(h);
      await alice.post("/api/repos/create", { name: "m", organization: "acme" });
      expect((await alice.commit("acme/m", [header(), file("model.pkl", maliciousPickle())])).status).toBe(
        403,
      );
      const mine = (await (await alice.get("/api/settings/audit-log")).json()) as {
        kind: string;
        detail: { repo?: string };
      }[];
      expect(mine.map((e) => `${e.kind} ${e.detail.repo}`)).toContain("push.refused-by-policy acme/m");
      // Under warn (acme's override), the push lands; the download needs accept_risk, which is audited.
      const db = await openDatabase(h);
      await db.updateTable("accounts").set({ policy: "warn" }).where("name", "=", "acme").execute();
      await db.destroy();
      expect((await alice.commit("acme/m", [header(), file("model.pkl", maliciousPickle())])).status).toBe(
        200,
      );
      await waitFor(async () =>
        (await alice.get("/acme/m/resolve/main/model.pkl")).status === 403 ? true : undefined,
      );
      await waitFor(async () => {
        const res = await alice.get("/acme/m/resolve/main/model.pkl?accept_risk=1");
        return res.status === 200 && res.headers.get("x-modelgate-security-status") === "unsafe"
          ? true
          : undefined;
      });
      const after = (await (await alice.get("/api/settings/audit-log")).json()) as { kind: string }[];
      expect(after.map((e) => e.kind)).toContain("download.accept-risk");
    },
    SLOW,
  );
});
