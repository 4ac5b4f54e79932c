// Starts a throw-away PostgreSQL server (Debian's `postgresql` package) for the hub's tests: a new
// cluster in a temporary folder, listening on a free loopback port, trust authentication, no fsync
// (test data is thrown away). The hub test project's global setup calls `startTestPostgres`; run
// alone (`node scripts/test-postgres.mjs`) it prints the URL and runs until interrupted.
import { execFile } from "node:child_process";
import { chmod, chown, mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Debian installs each major version in /usr/lib/postgresql/N/bin; MODELGATE_PG_BIN overrides. */
async function postgresBinDir() {
  if (process.env.MODELGATE_PG_BIN) return process.env.MODELGATE_PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = (await readdir(root).catch(() => []))
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0)
    throw new Error(
      `no PostgreSQL under ${root}: install Debian's postgresql package (apt-get install postgresql)`,
    );
  return join(root, versions[0], "bin");
}

/** A port nothing listens on right now (the server binds it a moment later). */
async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * initdb refuses to run as root; as root the cluster belongs to the `postgres` user the Debian
 * package creates, and its programs run through runuser.
 */
async function asServerUser(dir) {
  if (process.getuid?.() !== 0) return (program, args) => run(program, args);
  const { stdout } = await run("id", ["-u", "postgres"]);
  const { stdout: gid } = await run("id", ["-g", "postgres"]);
  await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  await chmod(dir, 0o700);
  return (program, args) => run("runuser", ["-u", "postgres", "--", program, ...args]);
}

/** Starts the server; returns its URL (database `postgres`, user `postgres`) and `stop()`. */
export async function startTestPostgres() {
  const bin = await postgresBinDir();
  const dir = await mkdtemp(join(tmpdir(), "modelgate-pg-"));
  const data = join(dir, "data");
  const port = await freePort();
  try {
    const exec = await asServerUser(dir);
    await exec(join(bin, "initdb"), [
      "-D",
      data,
      "-U",
      "postgres",
      "--auth=trust",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    const settings = [
      `-p ${port}`,
      `-k ${dir}`,
      "-c listen_addresses=127.0.0.1",
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=400",
    ].join(" ");
    await exec(join(bin, "pg_ctl"), [
      "-D",
      data,
      "-o",
      settings,
      "-l",
      join(dir, "server.log"),
      "-w",
      "start",
    ]);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      async stop() {
        await exec(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => {});
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startTestPostgres();
  process.stdout.write(`${server.url}\n`);
  for (const signal of ["SIGINT", "SIGTERM"])
    process.once(signal, () => void server.stop().then(() => process.exit(0)));
}
