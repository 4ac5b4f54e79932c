/** JSON schemas of the discussion routes (Fastify validates bodies against them). */

const text = { type: "string", maxLength: 65_536 } as const;

/** Body of `POST .../discussions`. */
export const createDiscussionSchema = {
  body: {
    type: "object",
    required: ["title"],
    properties: {
      title: { type: "string", minLength: 1, maxLength: 1_000 },
      description: { type: ["string", "null"], maxLength: 65_536 },
      pullRequest: { type: ["boolean", "null"] },
    },
  },
} as const;

/** Body of `POST .../discussions/{num}/comment`. */
export const commentSchema = {
  body: { type: "object", required: ["comment"], properties: { comment: text } },
} as const;

/** Body of `POST .../discussions/{num}/status`. */
export const statusSchema = {
  body: {
    type: "object",
    required: ["status"],
    properties: { status: { type: "string", enum: ["open", "closed"] }, comment: text },
  },
} as const;

/** Body of `POST .../discussions/{num}/title`. */
export const titleSchema = {
  body: { type: "object", required: ["title"], properties: { title: { type: "string", maxLength: 1_000 } } },
} as const;

/** Body of `POST .../discussions/{num}/merge` (Python sends none without a comment). */
export const mergeSchema = {
  body: { type: ["object", "null"], properties: { comment: text } },
} as const;
