#!/usr/bin/env node
// Bundles the compiled CLI and its dependencies into a few ES modules (packages/cli/dist/bundle/),
// so that `modelgate` starts by loading a handful of files instead of ~200 small modules: start-up
// time is most of the wall time when scanning a large checkpoint, which reads only kilobytes.
// Libraries that parsers load on first use (dynamic import) stay separate chunks; the hub stays out.
import { build } from "esbuild";

await build({
  // The scan worker is its own entry, sharing chunks with the CLI: each worker thread loads it.
  entryPoints: { modelgate: "packages/cli/dist/main.js", "scan-worker": "packages/cli/dist/scan-worker.js" },
  outdir: "packages/cli/dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outExtension: { ".js": ".mjs" },
  // CommonJS dependencies may call require() for Node built-ins.
  banner: {
    js: 'import { createRequire as __mgCreateRequire } from "node:module"; const require = __mgCreateRequire(import.meta.url);',
  },
  // The hub runs worker threads from its own files and a native SQLite module: it stays a package,
  // loaded (dynamically) only by `modelgate serve` and `modelgate user`.
  external: ["@modelgate/hub"],
  logLevel: "warning",
  legalComments: "none",
});
