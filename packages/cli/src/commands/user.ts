import type { Command } from "commander";

/** `modelgate user create NAME [--org ORG] [--data DIR]`: prints the new user's first write token last. */
export function registerUser(program: Command): void {
  const user = program.command("user").description("manage hub users");
  user
    .command("create")
    .description(
      "create a hub user (and add it to an organisation); prints its first write token as the last line",
    )
    .argument("<name>", "user name")
    .option("--org <org>", "organisation to create or join")
    .option("--data <dir>", "the hub's data folder", "modelgate-data")
    .action(async (name: string, flags: { org?: string; data: string }) => {
      const { createUser } = await import("@modelgate/hub");
      const token = await createUser(flags.data, name, flags.org);
      process.stdout.write(`created user ${name}${flags.org ? ` in ${flags.org}` : ""}\n${token}\n`);
    });
}
