import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setOrgPolicy } from "../src/auth/set-org-policy.js";
import { runPythonClient, stepsOf } from "./python-client.js";
import { maliciousPickle, startTestHub, type TestHub } from "./start-test-hub.js";

/**
 * The everyday workflows of people who train and share models, driven by the official Python client
 * (one script per workflow in test/python/): a model with its card, weights and tokenizer, pushed
 * and downloaded every way; a dataset of 1,100 files; a file held by quarantine. The files they push
 * are written here, so Python only runs the client.
 */
describe("the official Python client: everyday workflows", () => {
  let hub: TestHub;
  let files = "";
  beforeAll(async () => {
    hub = await startTestHub();
    // Organisation acme holds unsafe files back (quarantine.py pushes to it).
    await setOrgPolicy(hub, "acme", { quarantine: true });
    files = await mkdtemp(join(tmpdir(), "modelgate-py-files-"));
    await writeWorkflowFiles(files);
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
    if (files) await rm(files, { recursive: true, force: true });
  });

  const expectWorkflow = async (script: string) => {
    const run = await runPythonClient(hub, script, 120_000, { MODELGATE_FILES: files });
    expect({ code: run.code, last: stepsOf(run).at(-1), stderr: run.code === 0 ? "" : run.stderr }).toEqual({
      code: 0,
      last: "done",
      stderr: "",
    });
    return run;
  };

  it.concurrent("a model: create (and exist_ok), card, safetensors weights, a 5 MB tokenizer inline, every download", async () => {
    await expectWorkflow("model_workflow.py");
  }, 120_000);

  it.concurrent("a dataset of 1,100 files: upload_folder, listing past a page, delete_file, delete_folder, delete_repo", async () => {
    await expectWorkflow("many_files.py");
  }, 120_000);

  it.concurrent("quarantine: the download fails with the hub's reason, not a connection error", async () => {
    const run = await expectWorkflow("quarantine.py");
    expect(run.stdout).toContain("403 Forbidden: pytorch_model.bin is quarantined: its scan found it unsafe");
  }, 120_000);
});

/** Writes what the workflows push: a model folder, a tokenizer folder, 1,100 shards, a dangerous pickle. */
async function writeWorkflowFiles(dir: string): Promise<void> {
  for (const sub of ["model", "tokenizer", "many/shards", "held"])
    await mkdir(join(dir, sub), { recursive: true });
  await writeFile(join(dir, "model", "config.json"), JSON.stringify({ model_type: "bert", hidden_size: 8 }));
  await writeFile(join(dir, "model", "model.safetensors"), safetensors(3_000_000));
  // A WordPiece tokenizer.json of about 5 MB: both clients send text files under 10 MB inline, and
  // from 3.3 MB such a line overflowed the stack of the hub's old base64 check.
  const vocab: Record<string, number> = {};
  for (let i = 0; i < 250_000; i++) vocab[`token${i.toString(36)}##`] = i;
  await writeFile(
    join(dir, "tokenizer", "tokenizer.json"),
    JSON.stringify({ version: "1.0", model: { type: "WordPiece", unk_token: "[UNK]", vocab } }, null, 1),
  );
  await writeFile(join(dir, "tokenizer", "vocab.txt"), `${Object.keys(vocab).slice(0, 30_000).join("\n")}\n`);
  await writeFile(join(dir, "tokenizer", "special_tokens_map.json"), JSON.stringify({ unk_token: "[UNK]" }));
  await Promise.all(
    Array.from({ length: 1100 }, (_, i) =>
      writeFile(join(dir, "many", "shards", `${String(i).padStart(4, "0")}.txt`), `shard ${i}\n`),
    ),
  );
  await writeFile(join(dir, "held", "pytorch_model.bin"), maliciousPickle());
}

/** A safetensors file with one F32 tensor of `n` values (the header padded to 8 bytes, as writers do). */
function safetensors(n: number): Buffer {
  let header = JSON.stringify({ weight: { dtype: "F32", shape: [n], data_offsets: [0, 4 * n] } });
  header += " ".repeat((8 - (header.length % 8)) % 8);
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(header.length));
  // A period of sin(i), repeated: real float values, written without a loop over every one.
  const period = Buffer.alloc(4 * 4096);
  for (let i = 0; i < 4096; i++) period.writeFloatLE(Math.sin(i), 4 * i);
  const data = Buffer.alloc(4 * n, period);
  return Buffer.concat([size, Buffer.from(header), data]);
}
