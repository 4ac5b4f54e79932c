import { badInput } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";

/** A permission of a fine-grained token, named as the Hub names them. */
export type TokenPermission = "repo.content.read" | "repo.write";

/** One scope of a fine-grained token: a repository, or every repository of a user or organisation. */
export interface TokenScope {
  entity: { type: "model" | "dataset" | "user" | "org"; name: string };
  permissions: TokenPermission[];
}

/** What a request wants to do to a repository. */
export interface RepoAction {
  type: "model" | "dataset";
  namespace: string;
  /** `ns/name`; undefined when creating a repository in `namespace`. */
  fullName: string | undefined;
  action: "read" | "write";
}

const PERMISSIONS: ReadonlySet<string> = new Set(["repo.content.read", "repo.write"]);
/** Scopes a token may carry (CWE-770: each request checks them all). */
export const MAX_TOKEN_SCOPES = HUB_FIXED_LIMITS.maxTokenScopes;

/**
 * Whether fine-grained `scopes` allow `want`: a scope on the repository itself or on its namespace,
 * with `repo.write` for writes and `repo.content.read` (or `repo.write`) for reads.
 */
export function scopesAllow(scopes: readonly TokenScope[], want: RepoAction): boolean {
  return scopes.some((s) => {
    const onRepo =
      s.entity.type === want.type && want.fullName !== undefined && s.entity.name === want.fullName;
    const onNamespace =
      (s.entity.type === "org" || s.entity.type === "user") && s.entity.name === want.namespace;
    if (!onRepo && !onNamespace) return false;
    return want.action === "write"
      ? s.permissions.includes("repo.write")
      : s.permissions.includes("repo.content.read") || s.permissions.includes("repo.write");
  });
}

/** Parses the `scoped` list of a token request (`fineGrained.scoped` in the Hub's shape); throws 400. */
export function parseScopes(raw: unknown): TokenScope[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_TOKEN_SCOPES) {
    throw badInput(`a fine-grained token needs 1 to ${MAX_TOKEN_SCOPES} scopes`);
  }
  return raw.map((item: unknown, i) => {
    const s = item as { entity?: { type?: unknown; name?: unknown }; permissions?: unknown };
    const type = s?.entity?.type;
    const name = s?.entity?.name;
    if (type !== "model" && type !== "dataset" && type !== "user" && type !== "org") {
      throw badInput(`scoped[${i}].entity.type must be model, dataset, user or org`);
    }
    if (typeof name !== "string" || name.length === 0 || name.length > 200) {
      throw badInput(`scoped[${i}].entity.name must be a name`);
    }
    if (
      !Array.isArray(s.permissions) ||
      s.permissions.length === 0 ||
      !s.permissions.every((p) => typeof p === "string" && PERMISSIONS.has(p))
    ) {
      throw badInput(`scoped[${i}].permissions must list repo.content.read and/or repo.write`);
    }
    return { entity: { type, name }, permissions: [...new Set(s.permissions as TokenPermission[])] };
  });
}
