import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The pre-receive hook git-receive-pack runs for every push over HTTP. It hands git's update lines
 * and the quarantine's object directories to the hub (which scans what the push brings, see
 * `checkPush`), prints the hub's lines to the pusher (git shows them as `remote:`), and accepts or
 * refuses the push with its exit status. It runs under Node (the hub's own), so it needs nothing else.
 */
const HOOK_SCRIPT = `// Written by the modelgate hub: git's pre-receive hook for pushes over HTTP.
let updates = "";
for await (const chunk of process.stdin) updates += chunk;
let answer;
try {
  const res = await fetch(process.env.MODELGATE_HOOK_URL, {
    method: "POST",
    headers: { "content-type": "application/json", "x-modelgate-hook-nonce": process.env.MODELGATE_HOOK_NONCE },
    body: JSON.stringify({
      updates,
      objectDirectory: process.env.GIT_OBJECT_DIRECTORY ?? "",
      alternates: process.env.GIT_ALTERNATE_OBJECT_DIRECTORIES ?? "",
    }),
  });
  answer = await res.json();
} catch (err) {
  answer = { ok: false, messages: ["modelgate: the hub could not check this push: " + String(err)] };
}
for (const line of answer.messages ?? []) process.stderr.write(line + "\\n");
process.exit(answer.ok === true ? 0 : 1);
`;

/**
 * Writes the hooks folder (`core.hooksPath` of pushes over HTTP) in `parent` (the hub process's own
 * temporary folder: the hook names that process's Node) and returns its path.
 */
export async function writePreReceiveHook(parent: string): Promise<string> {
  const dir = join(parent, "git-hooks");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "pre-receive.mjs"), HOOK_SCRIPT);
  const hook = join(dir, "pre-receive");
  await writeFile(hook, `#!/bin/sh\nexec "${process.execPath}" "${join(dir, "pre-receive.mjs")}"\n`);
  await chmod(hook, 0o755);
  return dir;
}
