/** JSON schema of the preupload request (which files of a coming commit go to LFS). */
export const preuploadSchema = {
  body: {
    type: "object",
    required: ["files"],
    properties: {
      gitAttributes: { type: ["string", "null"] },
      files: {
        type: "array",
        items: {
          type: "object",
          required: ["path", "size"],
          properties: {
            path: { type: "string", maxLength: 4096 },
            size: { type: "integer", minimum: 0 },
            sample: { type: "string", maxLength: 1024 },
          },
        },
      },
    },
  },
} as const;
