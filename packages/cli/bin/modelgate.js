#!/usr/bin/env node
// Thin launcher. `npm run build` (run by `npm ci` through the root `prepare` script) compiles the CLI to
// dist/ and bundles it into dist/bundle/, which starts several times faster than ~200 separate modules.
import { main } from "../dist/bundle/modelgate.mjs";

process.exitCode = await main(process.argv.slice(2));
