// `npm start`: runs the hub with its defaults, overridable by MODELGATE_HOST, MODELGATE_PORT,
// MODELGATE_DATA, MODELGATE_POLICY (warn|block), MODELGATE_QUARANTINE (1), MODELGATE_CLAMD (address of a
// ClamAV daemon) and MODELGATE_LOG (0 for no request log).
import { startHub } from "./start-hub.js";

const policy = process.env.MODELGATE_POLICY === "block" ? "block" : "warn";
const hub = await startHub({
  host: process.env.MODELGATE_HOST ?? "127.0.0.1",
  port: Number(process.env.MODELGATE_PORT ?? 8080),
  dataDir: process.env.MODELGATE_DATA ?? "modelgate-data",
  policy,
  quarantine: process.env.MODELGATE_QUARANTINE === "1",
  ...(process.env.MODELGATE_CLAMD ? { clamd: process.env.MODELGATE_CLAMD } : {}),
  logger: process.env.MODELGATE_LOG !== "0",
});
process.stdout.write(`modelgate hub listening on ${hub.url}\n`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void hub.close().then(() => process.exit(0));
  });
}
