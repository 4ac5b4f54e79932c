#!/bin/sh
":" //; case "$1" in scan) unset NODE_EXTRA_CA_CERTS ;; esac; exec node "$0" "$@"
// The line above is for /bin/sh and a no-op for JavaScript (a string, then a comment). Run as a
// program (`modelgate ...`, the npm bin), the shell starts Node on this same file; run as
// `node bin/modelgate.js ...`, Node skips the first line and the second does nothing.
// Why a shell first: Node 20 parses the certificates named by NODE_EXTRA_CA_CERTS at every start,
// before any JavaScript runs (a whole CA bundle where it is set: about 40 ms of CPU, 16% of the
// instructions of a 2,000-file scan). `modelgate scan` opens no TLS connection (clamd is a Unix or
// plain TCP socket), so for it the variable is dropped; every other command keeps it.
//
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
