// Starts the built hub (dist/start.js) as its own process on a free loopback port, for benchmarks.
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const dist = resolve(dirname(fileURLToPath(import.meta.url)), "..", "dist");

/** Resolves to `{child, url}` once the hub listens; `nodeArgs` go to node before the script. */
export function startHubProcess(dir, nodeArgs = []) {
  const child = spawn(
    process.execPath,
    [...(process.env.HUB_NODE_ARGS ?? "").split(" ").filter(Boolean), ...nodeArgs, join(dist, "start.js")],
    {
      env: {
        ...process.env,
        MODELGATE_DATA: dir,
        MODELGATE_PORT: "0",
        MODELGATE_HOST: "127.0.0.1",
        MODELGATE_LOG: "0",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolveStart, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolveStart({ child, url: m[1] });
    });
    child.once("exit", (code) => reject(new Error(`hub exited with ${code}`)));
  });
}
