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
    testTimeout: 30_000,
    // CI reads vitest's own counts (passed, failed, skipped) from this file.
    reporters: process.env.MODELGATE_VITEST_JSON
      ? ["default", ["json", { outputFile: process.env.MODELGATE_VITEST_JSON }]]
      : ["default"],
    projects: [
      {
        extends: true,
        test: {
          name: "all",
          include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
        },
      },
      {
        // The hub's suite again, on PostgreSQL: one throw-away server (scripts/test-postgres.mjs) for
        // the run, a database of its own for each test hub (see packages/hub/test/test-storage.ts).
        extends: true,
        test: {
          name: "hub-postgres",
          include: ["packages/hub/test/**/*.test.ts"],
          globalSetup: ["packages/hub/test/postgres-global-setup.ts"],
        },
      },
    ],
  },
});
