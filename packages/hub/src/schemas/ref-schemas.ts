/** JSON schemas of the branch and tag routes (Fastify validates bodies against them). */

const revision = { type: ["string", "null"], maxLength: 255 } as const;

/** Body of `POST .../branch/{branch}` (the JS client always sends one; Python may send `{}`). */
export const createBranchSchema = {
  body: {
    type: ["object", "null"],
    properties: {
      startingPoint: revision,
      emptyBranch: { type: ["boolean", "null"] },
      overwrite: { type: ["boolean", "null"] },
    },
  },
} as const;

/** Body of `POST .../tag/{revision}`. */
export const createTagSchema = {
  body: {
    type: "object",
    required: ["tag"],
    properties: {
      tag: { type: "string", minLength: 1, maxLength: 255 },
      message: { type: ["string", "null"], maxLength: 65_536 },
    },
  },
} as const;

/** Body of `POST .../super-squash/{branch}`. */
export const squashSchema = {
  body: {
    type: ["object", "null"],
    properties: { message: { type: ["string", "null"], maxLength: 65_536 } },
  },
} as const;
