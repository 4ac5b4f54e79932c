// `npm start`: runs the hub with its defaults, overridable by MODELGATE_HOST, MODELGATE_PORT,
// MODELGATE_DATA, MODELGATE_DATABASE_URL (PostgreSQL instead of SQLite in the data folder), MODELGATE_POLICY
// (warn|block), MODELGATE_QUARANTINE (1), MODELGATE_CLAMD (address of a ClamAV daemon), MODELGATE_SIGNING_KEY
// (the OpenPGP secret key file that signs the hub's commits), MODELGATE_SCAN_POLICY (an import policy file),
// MODELGATE_RESCAN_RATE (stored files rescanned per minute after a scanner, policy or ClamAV database change;
// default 60, 0 for never) and MODELGATE_LOG_LEVEL (info by default; MODELGATE_LOG=0 is the same as silent).
import { readFileSync } from "node:fs";
import { parseUserPolicy } from "@modelgate/scanner";
import { isLogLevel } from "./plugins/request-log.js";
import { startHub } from "./start-hub.js";

const level = process.env.MODELGATE_LOG === "0" ? "silent" : (process.env.MODELGATE_LOG_LEVEL ?? "info");
if (!isLogLevel(level)) {
  process.stderr.write(
    `MODELGATE_LOG_LEVEL=${level}: must be fatal, error, warn, info, debug, trace or silent\n`,
  );
  process.exit(2);
}

const policy = process.env.MODELGATE_POLICY === "block" ? "block" : "warn";
const policyFile = process.env.MODELGATE_SCAN_POLICY;
const rescanRate = Number(process.env.MODELGATE_RESCAN_RATE ?? 60);
if (!Number.isInteger(rescanRate) || rescanRate < 0) {
  process.stderr.write(
    `MODELGATE_RESCAN_RATE=${process.env.MODELGATE_RESCAN_RATE}: must be a whole number\n`,
  );
  process.exit(2);
}
const hub = await startHub({
  host: process.env.MODELGATE_HOST ?? "127.0.0.1",
  port: Number(process.env.MODELGATE_PORT ?? 8080),
  dataDir: process.env.MODELGATE_DATA ?? "modelgate-data",
  ...(process.env.MODELGATE_DATABASE_URL ? { databaseUrl: process.env.MODELGATE_DATABASE_URL } : {}),
  policy,
  quarantine: process.env.MODELGATE_QUARANTINE === "1",
  ...(process.env.MODELGATE_CLAMD ? { clamd: process.env.MODELGATE_CLAMD } : {}),
  ...(process.env.MODELGATE_SIGNING_KEY ? { signingKeyFile: process.env.MODELGATE_SIGNING_KEY } : {}),
  ...(policyFile ? { scanPolicy: parseUserPolicy(readFileSync(policyFile, "utf8")) } : {}),
  limits: { rescanFilesPerMinute: rescanRate },
  logLevel: level,
});
process.stdout.write(`modelgate hub listening on ${hub.url}\n`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void hub.close().then(() => process.exit(0));
  });
}
