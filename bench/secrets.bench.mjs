// Secrets: (1) throughput of the secrets check on a generated corpus of mixed Python source, JSON
// configs, notebooks (with base64 image outputs) and markdown, with a few planted secrets: every
// planted secret must be found and nothing else; target 100 MB/s on one core. (2) What the check adds
// to a scan of the 2,000-file model repository and of dense.pkl's string constants.
// CPU time is printed beside wall time: on a shared machine it is the steadier figure.
// MODELGATE_SECRETS_MB sets the corpus size (default 200).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { FileSource } from "@modelgate/node";
import {
  DEFAULT_LIMITS,
  defaultPolicy,
  MemorySource,
  pickleCheck,
  scanSource,
  secretsCheck,
} from "@modelgate/scanner";

const perfDir = process.argv[2];
const targetMB = Number(process.env.MODELGATE_SECRETS_MB ?? 200);
let seed = 12345;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
};
const pick = (s, n) => Array.from({ length: n }, () => s[Math.floor(rnd() * s.length)]).join("");
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LETTERS = ALNUM.slice(0, 52);
const HEX = "0123456789abcdef";
const WORDS =
  "model layer tensor weight bias attention head hidden size token batch epoch loss optimizer learning rate dropout embed vocab config train eval dataset split shard checkpoint".split(
    " ",
  );
const word = () => WORDS[Math.floor(rnd() * WORDS.length)];

function python(lines) {
  const out = ["import os", "import torch", "from transformers import AutoModel, AutoTokenizer", ""];
  for (let i = 0; i < lines; i++) {
    const r = rnd();
    if (r < 0.2) out.push(`def ${word()}_${word()}(x, ${word()}=None):`);
    else if (r < 0.4)
      out.push(`    ${word()}_${word()} = torch.zeros(${Math.floor(rnd() * 4096)}, dtype=torch.float16)`);
    else if (r < 0.5) out.push(`    # compute the ${word()} ${word()} for the ${word()} ${word()}`);
    else if (r < 0.6) out.push(`    token = os.environ.get("HF_TOKEN")  # read at run time`);
    else if (r < 0.7)
      out.push(
        `    tokenizer = AutoTokenizer.from_pretrained("org/${word()}-${word()}", revision="${pick(HEX, 40)}")`,
      );
    else out.push(`    return ${word()}(${word()}_${word()}) * ${rnd().toFixed(6)}`);
  }
  return out.join("\n");
}

function json(keys) {
  const o = {
    architectures: ["LlamaForCausalLM"],
    model_type: "llama",
    torch_dtype: "bfloat16",
    _commit_hash: pick(HEX, 40),
  };
  for (let i = 0; i < keys; i++)
    o[`${word()}_${word()}_${i}`] = rnd() < 0.5 ? Math.floor(rnd() * 10000) : `${word()}-${word()}`;
  o.pad_token = "<|endoftext|>";
  o.tokenizer_class = "PreTrainedTokenizerFast";
  o.uuid = `${pick(HEX, 8)}-${pick(HEX, 4)}-${pick(HEX, 4)}-${pick(HEX, 4)}-${pick(HEX, 12)}`;
  return JSON.stringify(o, null, 2);
}

function notebook(cells) {
  const nb = { cells: [], metadata: { kernelspec: { name: "python3" } }, nbformat: 4, nbformat_minor: 5 };
  for (let i = 0; i < cells; i++) {
    nb.cells.push({
      cell_type: "code",
      execution_count: i,
      metadata: {},
      source: python(8)
        .split("\n")
        .map((l) => `${l}\n`),
      outputs: [
        { output_type: "stream", name: "stdout", text: [`epoch ${i} loss ${rnd().toFixed(4)}\n`] },
        {
          output_type: "display_data",
          data: { "image/png": pick(`${ALNUM}+/`, 3000), "text/plain": ["<Figure>"] },
          metadata: {},
        },
      ],
    });
  }
  return JSON.stringify(nb, null, 1);
}

function markdown(paras) {
  const out = ["# Model card", "", "Set `HF_TOKEN=hf_xxx` or `<YOUR_TOKEN>` before running.", ""];
  for (let i = 0; i < paras; i++) out.push(Array.from({ length: 40 }, word).join(" "), "");
  return out.join("\n");
}

const planted = [
  ["huggingface-token", () => `HF_TOKEN = "hf_${pick(LETTERS, 34)}"`],
  ["wandb-api-key", () => `WANDB_API_KEY=${pick(HEX, 40)}`],
  ["database-url", () => `DATABASE_URL=postgresql://svc:${pick(ALNUM, 20)}@db.prod.acme-corp.net/app`],
  ["generic-secret", () => `SMTP_PASSWORD=${pick(ALNUM, 14)}!9`],
];

const files = [];
let bytes = 0;
const expected = [];
const enc = new TextEncoder();
for (let i = 0; bytes < targetMB * 1e6; i++) {
  const kind = i % 4;
  let text = kind === 0 ? python(400) : kind === 1 ? json(300) : kind === 2 ? notebook(20) : markdown(30);
  const name = ["train.py", "config.json", "nb.ipynb", "README.md"][kind];
  if (kind === 0 && i % 400 === 0) {
    const [id, make] = planted[(i / 400) % planted.length];
    text += `\n${make()}\n`;
    expected.push(`${i}/${name}:${id}`);
  }
  files.push({ path: `${i}/${name}`, text });
  bytes += enc.encode(text).length;
}

const check = secretsCheck();

/** One pass over the corpus: wall and CPU seconds, and `path:detector` of every finding. */
async function pass() {
  const found = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (const f of files) {
    const out = await check.run({
      path: f.path,
      format: "text",
      source: new MemorySource(new Uint8Array()),
      pickles: [],
      texts: [{ text: f.text, kind: "file", line: 1, offset: 0 }],
      policy: defaultPolicy(),
      limits: DEFAULT_LIMITS,
    });
    for (const x of out.findings ?? []) found.push(`${f.path}:${x.data?.detector ?? x.rule}`);
  }
  const cpu = process.cpuUsage(cpu0);
  return { secs: (performance.now() - t0) / 1000, cpuSecs: (cpu.user + cpu.system) / 1e6, found };
}

// Best of three passes: the machine is shared, and the best pass is the least disturbed.
const passes = [await pass(), await pass(), await pass()];
const secs = Math.min(...passes.map((p) => p.secs));
const cpuSecs = Math.min(...passes.map((p) => p.cpuSecs));
const found = passes[0].found;
const missing = expected.filter((e) => !found.includes(e));
const extra = found.filter((e) => !expected.includes(e));
console.log(
  `secrets: ${(bytes / 1e6).toFixed(1)} MB in ${files.length} files, best of 3: ${secs.toFixed(2)} s (${(bytes / 1e6 / secs).toFixed(1)} MB/s), ${cpuSecs.toFixed(2)} s CPU (${(bytes / 1e6 / cpuSecs).toFixed(1)} MB/s); planted ${expected.length}, found ${found.length}, missing ${missing.length}, unexpected ${extra.length}`,
);
if (missing.length || extra.length) {
  console.log({ missing: missing.slice(0, 10), extra: extra.slice(0, 10) });
  process.exitCode = 1;
}

/** CPU and wall milliseconds of scanning `paths` with `checks`, and the secrets findings. */
async function scanFiles(paths, checks) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let secrets = 0;
  for (const p of paths) {
    const source = await FileSource.open(p);
    try {
      const r = await scanSource(source, p, { checks });
      secrets += r.findings.filter((f) => f.check === "secrets").length;
    } finally {
      await source.close();
    }
  }
  const c = process.cpuUsage(c0);
  return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000, secrets };
}

if (perfDir) {
  const repo = readdirSync(join(perfDir, "repo")).map((n) => join(perfDir, "repo", n));
  for (const [label, paths] of [
    ["repo (2,000 files)", repo],
    ["dense.pkl", [join(perfDir, "dense.pkl")]],
  ]) {
    await scanFiles(paths, [pickleCheck]); // warm the file cache and the JIT
    const without = await scanFiles(paths, [pickleCheck]);
    const withSecrets = await scanFiles(paths, [pickleCheck, secretsCheck()]);
    console.log(
      `${label}: pickle check ${without.wall.toFixed(0)} ms (${without.cpu.toFixed(0)} ms CPU); with secrets ${withSecrets.wall.toFixed(0)} ms (${withSecrets.cpu.toFixed(0)} ms CPU), ${withSecrets.secrets} secrets findings`,
    );
  }
}
