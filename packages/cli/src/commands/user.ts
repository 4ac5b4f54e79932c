import type { Command } from "commander";
import { registerSigningCommands } from "./signing.js";
import { DATA_OPTION, DATABASE_OPTION, type StorageFlags, storageOf } from "./storage-options.js";

/** Reads all of standard input (a password piped in), without its final newline. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/**
 * `modelgate user create`, `modelgate token create|list|revoke`, `modelgate org require-2fa` and
 * `modelgate audit`: account management on a hub's data folder and database (the hub may be running).
 */
export function registerUser(program: Command): void {
  const user = program.command("user").description("manage hub users");
  user
    .command("create")
    .description(
      "create a hub user (and add it to an organisation); prints its first write token as the last line",
    )
    .argument("<name>", "user name")
    .option("--org <org>", "organisation to create or join (its first member is its admin)")
    .option("--admin", "make the user a hub administrator (creates users and invitations in the pages)")
    .option("--password-stdin", "read a password for the web pages from standard input")
    .option(...DATA_OPTION)
    .option(...DATABASE_OPTION)
    .action(
      async (
        name: string,
        flags: { org?: string; admin?: boolean; passwordStdin?: boolean } & StorageFlags,
      ) => {
        const { createUser } = await import("@modelgate/hub");
        const password = flags.passwordStdin ? await readStdin() : undefined;
        const token = await createUser(storageOf(flags), name, flags.org, {
          ...(password !== undefined ? { password } : {}),
          ...(flags.admin ? { admin: true } : {}),
        });
        process.stdout.write(
          `created ${flags.admin ? "admin " : ""}user ${name}${flags.org ? ` in ${flags.org}` : ""}\n${token}\n`,
        );
      },
    );

  const token = program.command("token").description("manage a hub user's access tokens");
  token
    .command("create")
    .description("issue a token; prints it as the last line (shown once)")
    .argument("<user>", "user name")
    .option("--name <name>", "the token's name", "command-line token")
    .option("--role <role>", "read, write or fineGrained", "read")
    .option("--expires <date>", "expiry (ISO date), default never")
    .option(
      "--scope <scope...>",
      "fineGrained scopes: model:NS/NAME, dataset:NS/NAME, org:NAME or user:NAME, then :read or :write",
    )
    .option(...DATA_OPTION)
    .option(...DATABASE_OPTION)
    .action(
      async (
        name: string,
        flags: { name: string; role: string; expires?: string; scope?: string[] } & StorageFlags,
      ) => {
        const { createToken } = await import("@modelgate/hub");
        if (flags.role !== "read" && flags.role !== "write" && flags.role !== "fineGrained") {
          throw new Error("--role must be read, write or fineGrained");
        }
        const scopes = (flags.scope ?? []).map(parseScope);
        if (flags.role === "fineGrained" && scopes.length === 0)
          throw new Error("a fineGrained token needs --scope");
        const expiresAt = flags.expires !== undefined ? new Date(flags.expires) : undefined;
        if (expiresAt && Number.isNaN(expiresAt.getTime()))
          throw new Error(`--expires ${flags.expires} is not a date`);
        const issued = await createToken(storageOf(flags), name, flags.role, flags.name, {
          ...(scopes.length > 0 ? { scopes } : {}),
          ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
        });
        process.stdout.write(`created ${flags.role} token "${flags.name}" for ${name}\n${issued}\n`);
      },
    );
  token
    .command("list")
    .description("list a user's tokens (id, role, name, created, expires, last used, revoked)")
    .argument("<user>", "user name")
    .option(...DATA_OPTION)
    .option(...DATABASE_OPTION)
    .action(async (name: string, flags: StorageFlags) => {
      const { listTokens } = await import("@modelgate/hub");
      for (const t of await listTokens(storageOf(flags), name)) {
        const state = t.revokedAt
          ? `revoked ${t.revokedAt}`
          : t.expiresAt
            ? `expires ${t.expiresAt}`
            : "no expiry";
        process.stdout.write(
          `${t.id}\t${t.role}\t${t.name}\tcreated ${t.createdAt}\tlast used ${t.lastUsedAt ?? "never"}\t${state}\n`,
        );
      }
    });
  token
    .command("revoke")
    .description("revoke a token (refused from its next request on)")
    .argument("<user>", "user name")
    .argument("<id>", "token id (from `modelgate token list`)")
    .option(...DATA_OPTION)
    .option(...DATABASE_OPTION)
    .action(async (name: string, id: string, flags: StorageFlags) => {
      const { revokeToken } = await import("@modelgate/hub");
      await revokeToken(storageOf(flags), name, Number(id));
      process.stdout.write(`revoked token ${id} of ${name}\n`);
    });

  const org = program.command("org").description("organisation settings");
  registerSigningCommands(user, org);
  org
    .command("require-2fa")
    .description("require two-factor authentication of the members who write (on) or not (off)")
    .argument("<org>", "organisation")
    .argument("<state>", "on or off")
    .option(...DATA_OPTION)
    .option(...DATABASE_OPTION)
    .action(async (org: string, state: string, flags: StorageFlags) => {
      if (state !== "on" && state !== "off") throw new Error("the state is on or off");
      const { setOrgRequire2fa } = await import("@modelgate/hub");
      await setOrgRequire2fa(storageOf(flags), org, state === "on");
      process.stdout.write(
        `${org}: two-factor authentication ${state === "on" ? "required" : "not required"}\n`,
      );
    });

  program
    .command("audit")
    .description("print a user's or organisation's audit log, newest first (JSON lines with --json)")
    .argument("<account>", "user or organisation")
    .option("--limit <n>", "entries", "100")
    .option("--json", "one JSON object a line")
    .option(...DATA_OPTION)
    .option(...DATABASE_OPTION)
    .action(async (account: string, flags: { limit: string; json?: boolean } & StorageFlags) => {
      const { readAuditLog } = await import("@modelgate/hub");
      for (const e of await readAuditLog(storageOf(flags), account, Number(flags.limit) || 100)) {
        process.stdout.write(
          flags.json
            ? `${JSON.stringify(e)}\n`
            : `${e.createdAt}\t${e.kind}\t${e.actor ?? "-"}\t${e.address ?? "-"}\t${JSON.stringify(e.detail)}\n`,
        );
      }
    });
}

/** `model:ns/name:write` -> a fine-grained scope (read: repo.content.read; write: also repo.write). */
function parseScope(text: string) {
  const match = /^(model|dataset|org|user):([^:]+):(read|write)$/.exec(text);
  if (!match?.[1] || !match[2]) throw new Error(`--scope ${text}: use TYPE:NAME:read|write`);
  const type = match[1] as "model" | "dataset" | "org" | "user";
  const permissions: ("repo.content.read" | "repo.write")[] =
    match[3] === "write" ? ["repo.content.read", "repo.write"] : ["repo.content.read"];
  return { entity: { type, name: match[2] }, permissions };
}
