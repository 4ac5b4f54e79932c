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
