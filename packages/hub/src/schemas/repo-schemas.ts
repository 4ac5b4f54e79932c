/** JSON schemas of the repository management routes (Fastify validates bodies against them). */

const nameField = { type: "string", minLength: 1, maxLength: 200 } as const;
const nullableString = { type: ["string", "null"], maxLength: 200 } as const;

/** Body of `POST /api/repos/create`. */
export const createRepoSchema = {
  body: {
    type: "object",
    required: ["name"],
    properties: {
      name: nameField,
      organization: nullableString,
      type: nullableString,
      private: { type: ["boolean", "null"] },
      visibility: { type: ["string", "null"], enum: ["public", "private", null] },
      license: nullableString,
      files: { type: ["array", "null"], items: { type: "object" } },
    },
  },
} as const;

/** Body of `DELETE /api/repos/delete`. */
export const deleteRepoSchema = {
  body: {
    type: "object",
    required: ["name"],
    properties: { name: nameField, organization: nullableString, type: nullableString },
  },
} as const;

/** Body of `POST /api/repos/move`. */
export const moveRepoSchema = {
  body: {
    type: "object",
    required: ["fromRepo", "toRepo"],
    properties: { fromRepo: nameField, toRepo: nameField, type: nullableString },
  },
} as const;

/** Body of `PUT /api/{type}s/{ns}/{repo}/settings` (the Python client sends `visibility` and `gated`). */
export const repoSettingsSchema = {
  body: {
    type: "object",
    properties: {
      private: { type: ["boolean", "null"] },
      visibility: { type: ["string", "null"], enum: ["public", "private", null] },
      gated: { enum: ["auto", "manual", false] },
    },
  },
} as const;
