#!/usr/bin/env node
// Thin launcher. `npm run build` (run by `npm ci` through the root `prepare` script) compiles the CLI to
// dist/ and bundles it into dist/bundle/, which starts several times faster than ~200 separate modules.
import { filterConsole, main } from "../dist/bundle/modelgate.mjs";

// `modelgate scan ... | head`: a reader that stops early is not an error.
process.stdout.on("error", (err) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});

// What dependencies print goes to stderr, escaped (see filter-console.ts).
filterConsole();
process.exitCode = await main(process.argv.slice(2));
