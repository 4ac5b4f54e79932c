import type { Command } from "commander";
import { DATA_OPTION, DATABASE_OPTION, type StorageFlags, storageOf } from "./storage-options.js";
import { readStdin } from "./user.js";

/**
 * Signed-commit settings on a hub's storage (data folder, or PostgreSQL with --database): `modelgate user add-gpg-key|add-ssh-signing-key NAME < key`,
 * `user signing-keys NAME`, `user delete-signing-key NAME ID`, `user add-email|remove-email NAME ADDRESS`
 * and the branch rules `org require-signed-commits|refuse-force-push ORG [PATTERN...]`.
 */
export function registerSigningCommands(user: Command, org: Command): void {
  for (const [command, kind, what] of [
    ["add-gpg-key", "gpg", "an ASCII-armoured OpenPGP public key (gpg --armor --export KEYID)"],
    ["add-ssh-signing-key", "ssh", "an SSH public key line (the .pub file)"],
  ] as const) {
    user
      .command(command)
      .description(`register a commit-signing key for a user, read from standard input: ${what}`)
      .argument("<user>", "user name")
      .option("--name <name>", "a name for the key (default: its user id or comment)")
      .option(...DATA_OPTION)
      .option(...DATABASE_OPTION)
      .action(async (name: string, flags: StorageFlags & { name?: string }) => {
        const { addUserSigningKey } = await import("@modelgate/hub");
        const key = await addUserSigningKey(storageOf(flags), name, kind, await readStdin(), flags.name);
        const expiry = key.expiresAt ? `, expires ${key.expiresAt}` : "";
        process.stdout.write(
          `registered ${kind} key ${key.id} "${key.name}" ${key.fingerprint}${expiry} for ${name}\n`,
        );
      });
  }
  user
    .command("signing-keys")
    .description("list a user's commit-signing keys")
    .argument("<user>", "user name")
    .option(...DATA_OPTION)
    .option(...DATABASE_OPTION)
    .action(async (name: string, flags: StorageFlags) => {
      const { listUserSigningKeys } = await import("@modelgate/hub");
      for (const k of await listUserSigningKeys(storageOf(flags), name)) {
        process.stdout.write(
          `${k.id}\t${k.kind}\t${k.fingerprint}\t${k.name}\t${k.expiresAt ? `expires ${k.expiresAt}` : "no expiry"}\n`,
        );
      }
    });
  user
    .command("delete-signing-key")
    .description("delete a user's commit-signing key (commits it signed turn Unverified)")
    .argument("<user>", "user name")
    .argument("<id>", "key id (from `modelgate user signing-keys`)")
    .option(...DATA_OPTION)
    .option(...DATABASE_OPTION)
    .action(async (name: string, id: string, flags: StorageFlags) => {
      const { deleteUserSigningKey } = await import("@modelgate/hub");
      await deleteUserSigningKey(storageOf(flags), name, Number(id));
      process.stdout.write(`deleted signing key ${id} of ${name}\n`);
    });
  for (const [command, present] of [
    ["add-email", true],
    ["remove-email", false],
  ] as const) {
    user
      .command(command)
      .description(
        present
          ? "vouch for an e-mail address on a user's account (the hub sends no mail to check it): commits by it can be Verified"
          : "remove an e-mail address from a user's account",
      )
      .argument("<user>", "user name")
      .argument("<address>", "e-mail address")
      .option(...DATA_OPTION)
      .option(...DATABASE_OPTION)
      .action(async (name: string, address: string, flags: StorageFlags) => {
        const { setUserEmail } = await import("@modelgate/hub");
        const emails = await setUserEmail(storageOf(flags), name, address, present);
        process.stdout.write(`${name}'s addresses: ${emails.join(", ")}\n`);
      });
  }
  for (const [command, rule, description, on, none] of [
    [
      "require-signed-commits",
      "signed-commits",
      "require verified commit signatures on branches of every repository of an organisation (no pattern: none)",
      "verified signatures required on",
      "no branch requires signatures",
    ],
    [
      "refuse-force-push",
      "no-force-push",
      "refuse force pushes (non-fast-forward updates) and deletions of branches of every repository of an organisation (no pattern: none)",
      "force pushes and deletions refused on",
      "no branch refuses force pushes",
    ],
  ] as const) {
    org
      .command(command)
      .description(description)
      .argument("<org>", "organisation")
      .argument("[patterns...]", "branch names or patterns: main 'release/*'")
      .option(...DATA_OPTION)
      .option(...DATABASE_OPTION)
      .action(async (name: string, patterns: string[], flags: StorageFlags) => {
        const { setOrgBranchRule } = await import("@modelgate/hub");
        const set = await setOrgBranchRule(storageOf(flags), name, rule, patterns);
        process.stdout.write(set.length > 0 ? `${name}: ${on} ${set.join(", ")}\n` : `${name}: ${none}\n`);
      });
  }
}
