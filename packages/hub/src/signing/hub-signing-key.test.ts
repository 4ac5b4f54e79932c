import { mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as openpgp from "openpgp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gnupgHomeWith, run } from "../../test/git-verify.js";
import { openHubSigningKey } from "./hub-signing-key.js";
import { MAX_KEY_FILE_BYTES } from "./key-files.js";

/** A key made by GnuPG itself (not by the library the hub uses), exported as an operator would. */
async function gpgKey(userId: string, passphrase = ""): Promise<{ secret: string; fingerprint: string }> {
  const home = await gnupgHomeWith("");
  try {
    const pass = ["--batch", "--pinentry-mode", "loopback", "--passphrase", passphrase];
    const made = await run("gpg", [...pass, "--quick-gen-key", userId, "ed25519", "sign", "never"], home);
    expect(made.code, made.err).toBe(0);
    const exported = await run("gpg", [...pass, "--armor", "--export-secret-keys"], home);
    expect(exported.code, exported.err).toBe(0);
    const listed = await run("gpg", ["--batch", "--with-colons", "--list-keys"], home);
    const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(listed.out)?.[1] ?? "";
    return { secret: exported.out, fingerprint };
  } finally {
    await home.dispose();
  }
}

describe("openHubSigningKey", () => {
  let dataDir = "";
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "modelgate-hub-key-"));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it("generates an ed25519 key on first start, readable by the hub only, and keeps it", async () => {
    const first = await openHubSigningKey({ dataDir, host: "hub.example.test" });
    expect(first.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect(first.identity).toEqual({ name: "modelgate hub", email: "hub@hub.example.test" });
    expect((await stat(join(dataDir, "signing/hub-key.asc"))).mode & 0o777).toBe(0o600);
    const key = await openpgp.readKey({ armoredKey: first.publicKeyArmored });
    expect(key.isPrivate()).toBe(false);
    expect(key.getAlgorithmInfo()).toEqual({ algorithm: "eddsaLegacy", curve: "ed25519Legacy" });
    const again = await openHubSigningKey({ dataDir, host: "other.example.test" });
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(again.identity.email).toBe("hub@hub.example.test");
    expect(await readdir(join(dataDir, "signing/public"))).toEqual([`${first.fingerprint}.asc`]);
  });

  it("falls back to localhost for a host name that cannot be part of an e-mail", async () => {
    const key = await openHubSigningKey({ dataDir, host: "bad host>name" });
    expect(key.identity.email).toBe("hub@localhost");
  });

  it("signs with an operator's key made by GnuPG, and gpg verifies the signature", async () => {
    const made = await gpgKey("Example Ops <hub@ops.example.test>");
    const file = join(dataDir, "operator.asc");
    await writeFile(file, made.secret);
    const key = await openHubSigningKey({ dataDir, keyFile: file });
    expect(key.fingerprint).toBe(made.fingerprint);
    expect(key.identity).toEqual({ name: "Example Ops", email: "hub@ops.example.test" });
    const payload = Buffer.from("what the hub signs\n");
    await writeFile(join(dataDir, "payload"), payload);
    await writeFile(join(dataDir, "payload.asc"), await key.sign(payload));
    const home = await gnupgHomeWith(key.publicKeyArmored);
    try {
      const verified = await run(
        "gpg",
        ["--batch", "--status-fd", "1", "--verify", join(dataDir, "payload.asc"), join(dataDir, "payload")],
        home,
      );
      expect(verified.code, verified.err).toBe(0);
      expect(verified.out).toContain(`[GNUPG:] VALIDSIG ${made.fingerprint}`);
    } finally {
      await home.dispose();
    }
    // The operator's secret key is never copied into the data folder; only its public key is published.
    expect(await readdir(join(dataDir, "signing"))).toEqual(["public"]);
  });

  it("refuses keys that cannot sign: passphrase-protected, public only, not a key, too large", async () => {
    const file = join(dataDir, "operator.asc");
    const locked = await gpgKey("Locked <hub@locked.example.test>", "a passphrase");
    await writeFile(file, locked.secret);
    await expect(openHubSigningKey({ dataDir, keyFile: file })).rejects.toThrow(/passphrase-protected/);
    const generated = await openHubSigningKey({ dataDir: join(dataDir, "other") });
    await writeFile(file, generated.publicKeyArmored);
    await expect(openHubSigningKey({ dataDir, keyFile: file })).rejects.toThrow(
      /not an ASCII-armored OpenPGP secret key/,
    );
    await writeFile(file, "hello");
    await expect(openHubSigningKey({ dataDir, keyFile: file })).rejects.toThrow(
      /not an ASCII-armored OpenPGP secret key/,
    );
    await writeFile(file, "x".repeat(MAX_KEY_FILE_BYTES + 1));
    await expect(openHubSigningKey({ dataDir, keyFile: file })).rejects.toThrow(/more than a key file holds/);
  });

  it("keeps retired keys published after a rotation, current key first", async () => {
    const old = await openHubSigningKey({ dataDir });
    await rename(join(dataDir, "signing/hub-key.asc"), join(dataDir, "retired-key.asc"));
    const current = await openHubSigningKey({ dataDir });
    expect(current.fingerprint).not.toBe(old.fingerprint);
    expect(current.publishedKeys.map((k) => [k.fingerprint, k.current])).toEqual([
      [current.fingerprint, true],
      [old.fingerprint, false],
    ]);
  });

  it("never publishes a secret key left in public/, nor a key under another fingerprint's name", async () => {
    const current = await openHubSigningKey({ dataDir });
    const secret = await readFile(join(dataDir, "signing/hub-key.asc"), "utf8");
    const other = await openHubSigningKey({ dataDir: join(dataDir, "other") });
    const otherSecret = await readFile(join(dataDir, "other/signing/hub-key.asc"), "utf8");
    await writeFile(join(dataDir, `signing/public/${other.fingerprint}.asc`), otherSecret);
    const reopened = await openHubSigningKey({ dataDir });
    const published = reopened.publishedKeys.map((k) => k.armored).join("");
    expect(published).not.toContain("PRIVATE KEY");
    expect(published).not.toContain(secret.slice(40, 120));
    expect(reopened.publishedKeys.map((k) => k.fingerprint)).toEqual([
      current.fingerprint,
      other.fingerprint,
    ]);
    await writeFile(join(dataDir, `signing/public/${"A".repeat(40)}.asc`), other.publicKeyArmored);
    await expect(openHubSigningKey({ dataDir })).rejects.toThrow(/not the OpenPGP key of that fingerprint/);
  });
});
