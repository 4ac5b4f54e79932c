import type { FastifyInstance } from "fastify";
import { parseDocument } from "yaml";
import { HUB_FIXED_LIMITS } from "../limits.js";

interface ValidateBody {
  content: string;
  repoType?: string | null;
}

/** Alias expansions one card's metadata may need; more is a billion-laughs attack (CWE-776). */
const MAX_ALIAS_COUNT = HUB_FIXED_LIMITS.maxYamlAliases;

/** A problem with a card's metadata, as the Hub reports it (`{message}`). */
interface Problem {
  message: string;
}

const validateSchema = {
  body: {
    type: "object",
    required: ["content"],
    properties: { content: { type: "string" }, repoType: { type: ["string", "null"] } },
  },
} as const;

/**
 * `POST /api/validate-yaml`: checks the YAML metadata block of a repository card (README.md) before
 * the Python client commits it, as the Hub does: `{errors, warnings}` with 400 when there are errors
 * (the client shows each `message`). The metadata must be valid YAML and a mapping; a card without
 * metadata is a warning, not an error.
 */
export function validateYamlRoutes(app: FastifyInstance): void {
  app.post<{ Body: ValidateBody }>(
    "/api/validate-yaml",
    { schema: validateSchema },
    async (request, reply) => {
      const { errors, warnings } = validateCardMetadata(request.body.content);
      return reply.code(errors.length > 0 ? 400 : 200).send({ errors, warnings });
    },
  );
}

/** The YAML block between the first two `---` lines of a card, or undefined when there is none. */
export function cardMetadata(content: string): string | undefined {
  const match = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?\r?\n)?---[ \t]*(?:\r?\n|$)/.exec(content);
  return match ? (match[1] ?? "") : undefined;
}

/** Checks a card's metadata: errors for invalid YAML or a block that is not a mapping. */
export function validateCardMetadata(content: string): { errors: Problem[]; warnings: Problem[] } {
  const yaml = cardMetadata(content);
  if (yaml === undefined || yaml.trim() === "") {
    return { errors: [], warnings: [{ message: "Empty or missing yaml metadata in repo card" }] };
  }
  const doc = parseDocument(yaml, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      errors: doc.errors.slice(0, 20).map((e) => ({ message: `Invalid YAML: ${e.message}` })),
      warnings: [],
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // The library refuses to expand too many aliases ("Excessive alias count"): say so, as an error.
    return { errors: [{ message: `Invalid YAML: ${(err as Error).message}` }], warnings: [] };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { errors: [{ message: "The metadata must be a YAML mapping (key: value)" }], warnings: [] };
  }
  return { errors: [], warnings: [] };
}
