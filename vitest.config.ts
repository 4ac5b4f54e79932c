import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run the sibling packages' sources, not their dist/ builds: after an edit, `npx vitest`
    // must test the code as it is now, not as it was at the last `npm run build`.
    alias: [
      {
        find: /^@modelgate\/(scanner|node|convert|clamav|hub)$/,
        replacement: `${root}packages/$1/src/index.ts`,
      },
    ],
  },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    // CI reads vitest's own counts (passed, failed, skipped) from this file.
    reporters: process.env.MODELGATE_VITEST_JSON
      ? ["default", ["json", { outputFile: process.env.MODELGATE_VITEST_JSON }]]
      : ["default"],
  },
});
