import { readFile } from "node:fs/promises";
import { createPolicy, DEFAULT_RULES, type Policy, parseUserPolicy } from "@modelgate/scanner";
import { UsageError } from "./usage-error.js";

/** The policy from `--policy FILE` (undefined without it, meaning the built-in one). */
export async function loadPolicy(file: string | undefined): Promise<Policy | undefined> {
  if (file === undefined) return undefined;
  try {
    const user = parseUserPolicy(await readFile(file, "utf8"));
    return createPolicy(user.inherit ? DEFAULT_RULES : [], user.rules);
  } catch (err) {
    throw new UsageError(`--policy ${file}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}
