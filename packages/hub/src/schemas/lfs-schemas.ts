/** JSON schema of the git-LFS batch request (https://github.com/git-lfs/git-lfs/blob/main/docs/api/batch.md). */
export const lfsBatchSchema = {
  body: {
    type: "object",
    required: ["operation", "objects"],
    properties: {
      operation: { type: "string", enum: ["upload", "download"] },
      transfers: { type: "array", items: { type: "string", maxLength: 64 }, maxItems: 16 },
      hash_algo: { type: "string", maxLength: 32 },
      ref: { type: "object", properties: { name: { type: "string", maxLength: 255 } } },
      objects: {
        type: "array",
        items: {
          type: "object",
          required: ["oid", "size"],
          properties: { oid: { type: "string", maxLength: 128 }, size: { type: "integer", minimum: 0 } },
        },
      },
    },
  },
} as const;
