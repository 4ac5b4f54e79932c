import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startHub } from "@modelgate/hub";
import { afterAll, describe, expect, it } from "vitest";

const bin = resolve(dirname(fileURLToPath(import.meta.url)), "..", "bin", "modelgate.js");
const data = mkdtempSync(join(tmpdir(), "modelgate-accounts-cli-"));

afterAll(() => rmSync(data, { recursive: true, force: true }));

function modelgate(args: string[], input?: string) {
  return spawnSync(process.execPath, [bin, ...args, "--data", data], { encoding: "utf8", input });
}

// Each step spawns the CLI and hashes passwords with scrypt: slow on a loaded machine.
const SLOW = 90_000;

describe("account commands", () => {
  it(
    "creates the first admin with a password read from stdin; refuses a weak one",
    () => {
      const created = modelgate(
        ["user", "create", "root", "--admin", "--password-stdin"],
        "a long admin password\n",
      );
      expect(created.status, created.stderr).toBe(0);
      expect(created.stdout).toContain("created admin user root");
      expect(modelgate(["user", "create", "weak", "--password-stdin"], "short\n").status).toBe(2);
    },
    SLOW,
  );

  it(
    "issues, lists and revokes tokens; the hub signs the admin in and refuses the revoked token",
    async () => {
      const made = modelgate([
        "token",
        "create",
        "root",
        "--name",
        "ci",
        "--role",
        "read",
        "--expires",
        "2099-01-01",
      ]);
      expect(made.status, made.stderr).toBe(0);
      const token = made.stdout.trim().split("\n").pop() ?? "";
      expect(token).toMatch(/^hf_[A-Za-z]{34}$/);
      const listed = modelgate(["token", "list", "root"]).stdout;
      expect(listed).toMatch(/^2\tread\tci\t.*expires 2099-01-01/m);

      const hub = await startHub({
        host: "127.0.0.1",
        port: 0,
        dataDir: data,
        scanThreads: 1,
        webDir: false,
      });
      try {
        const signIn = await fetch(`${hub.url}/api/auth/sign-in`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: "root", password: "a long admin password" }),
        });
        expect(signIn.status).toBe(200);
        expect(((await signIn.json()) as { isAdmin: boolean }).isAdmin).toBe(true);
        const whoami = () =>
          fetch(`${hub.url}/api/whoami-v2`, { headers: { authorization: `Bearer ${token}` } });
        expect((await whoami()).status).toBe(200);
        expect(modelgate(["token", "revoke", "root", "2"]).status).toBe(0);
        expect((await whoami()).status).toBe(401);
      } finally {
        await hub.close();
      }
    },
    SLOW,
  );

  it(
    "requires 2FA of an organisation and prints audit logs",
    () => {
      expect(modelgate(["user", "create", "dave", "--org", "lab"]).status).toBe(0);
      expect(modelgate(["org", "require-2fa", "lab", "on"]).stdout).toContain(
        "lab: two-factor authentication required",
      );
      const audit = modelgate(["audit", "lab", "--json"]).stdout.trim().split("\n");
      expect(JSON.parse(audit[0] ?? "{}")).toMatchObject({
        kind: "org.policy-changed",
        detail: { require2fa: true },
      });
      const rootLog = modelgate(["audit", "root"]).stdout;
      expect(rootLog).toContain("sign-in");
      expect(rootLog).toContain("token.revoked");
    },
    SLOW,
  );
});
