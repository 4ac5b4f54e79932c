import { readFile } from "node:fs/promises";
import {
  createPolicy,
  DEFAULT_RULES,
  type Policy,
  parseUserPolicy,
  type UserPolicy,
} from "@modelgate/scanner";
import { UsageError } from "./usage-error.js";

/** The policy from `--policy FILE` (undefined without it, meaning the built-in one). */
export async function loadPolicy(file: string | undefined): Promise<Policy | undefined> {
  const user = await readUserPolicy(file);
  return user ? policyFrom(user) : undefined;
}

/** The `--policy FILE` as read (plain data, which worker threads are sent); undefined without it. */
export async function readUserPolicy(
  file: string | undefined,
  option = "--policy",
): Promise<UserPolicy | undefined> {
  if (file === undefined) return undefined;
  try {
    return parseUserPolicy(await readFile(file, "utf8"));
  } catch (err) {
    throw new UsageError(`${option} ${file}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}

/** A policy file's rules on top of the built-in table, or instead of it (`"inherit": false`). */
export function policyFrom(user: UserPolicy): Policy {
  return createPolicy(user.inherit ? DEFAULT_RULES : [], user.rules);
}
