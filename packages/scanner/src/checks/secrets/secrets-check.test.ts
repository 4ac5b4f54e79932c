import { describe, expect, it } from "vitest";
import { MemorySource } from "../../reader/byte-source.js";
import { scanSource } from "../../scan.js";
import { secretsCheck } from "./secrets-check.js";
import { parseSecretsIgnore } from "./secrets-ignore.js";
import {
  ALNUM,
  B64,
  BASE32,
  b64,
  githubStyleToken,
  HEX,
  LETTERS,
  pem,
  rand,
  randBytes,
} from "./test-helpers/fake-secrets.js";
import { scanFragments, scanText } from "./test-helpers/scan-texts.js";

const hf = (seed: number) => `hf_${rand(LETTERS, 34, seed)}`;

function notebook(cells: unknown[]): string {
  return JSON.stringify({
    cells,
    metadata: { kernelspec: { name: "python3" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

describe("secrets check findings", () => {
  it("reports rule, severity, line and column, and data without the secret", async () => {
    const token = hf(1);
    const [f, ...rest] = await scanText(`# config\nx = 1\n  HF_TOKEN = "${token}"\n`, "repo/train.py");
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      check: "secrets",
      rule: "secrets/huggingface-token",
      severity: "dangerous",
      location: { line: 3, column: 15 },
      data: {
        detector: "huggingface-token",
        preview: `${token.slice(0, 4)}…${token.slice(-2)}`,
        kind: "file",
      },
    });
    expect(f?.data?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(f)).not.toContain(token);
  });

  it("gives the same fingerprint to the same secret anywhere, and different ones otherwise", async () => {
    const a = await scanText(`TOKEN=${hf(2)}`, "a.env");
    const b = await scanText(`\n\nother = "${hf(2)}"`, "b/c.py");
    const c = await scanText(`TOKEN=${hf(3)}`, "a.env");
    expect(a[0]?.data?.fingerprint).toBe(b[0]?.data?.fingerprint);
    expect(a[0]?.data?.fingerprint).not.toBe(c[0]?.data?.fingerprint);
  });

  it("offsets lines by the fragment's first line and names the member", async () => {
    const findings = await scanFragments([
      { text: `a\nkey: ${hf(4)}`, kind: "file", line: 10, member: "archive/cfg.yaml" },
    ]);
    expect(findings[0]?.location).toEqual({ member: "archive/cfg.yaml", line: 11, column: 6 });
  });

  it("never puts a raw secret in the JSON of a whole scan report", async () => {
    const secrets = [
      hf(5),
      githubStyleToken("ghp", 6),
      `AKIA${rand(BASE32, 16, 7)}`,
      `${rand(B64, 20, 8)}/${rand(B64, 19, 9)}`,
      `sk_live_${rand(ALNUM, 30, 10)}`,
      `${rand(ALNUM, 12, 11)}!7`,
      rand(HEX, 40, 12),
    ];
    const key = pem("RSA PRIVATE KEY", 13);
    const text = [
      `HF_TOKEN=${secrets[0]}`,
      `gh = "${secrets[1]}"`,
      `aws_access_key_id=${secrets[2]}`,
      `aws_secret_access_key=${secrets[3]}`,
      `stripe_key = "${secrets[4]}"`,
      `DB_PASSWORD=${secrets[5]}`,
      `WANDB_API_KEY=${secrets[6]}`,
      key,
    ].join("\n");
    const report = await scanSource(new MemorySource(new TextEncoder().encode(text)), "leaky.env", {
      checks: [secretsCheck()],
    });
    const json = JSON.stringify(report);
    expect(report.verdict).toBe("dangerous");
    expect(report.findings.map((f) => f.data?.detector).sort()).toEqual([
      "aws-access-key",
      "generic-secret",
      "github-token",
      "huggingface-token",
      "private-key",
      "stripe-live-key",
      "wandb-api-key",
    ]);
    for (const s of secrets) expect(json).not.toContain(s);
    const body = key.split("\n").slice(1, -2);
    for (const line of body) expect(json).not.toContain(line);
  });

  it("shows no characters of a short secret", async () => {
    const findings = await scanText("password = 'Xy7#kq2!Lm'");
    expect(findings[0]?.data?.preview).toBe("…");
  });

  it("reports a service-account key file once, not again as a private key", async () => {
    const text = JSON.stringify(
      { type: "service_account", private_key_id: rand(HEX, 40, 14), private_key: pem("PRIVATE KEY", 15) },
      null,
      2,
    );
    const findings = await scanText(text, "sa.json");
    expect(findings.map((f) => f.rule)).toEqual(["secrets/google-service-account"]);
  });

  it("finds a key after a BEGIN line without END", async () => {
    const text = `-----BEGIN RSA PRIVATE KEY-----\ntruncated\n${pem("RSA PRIVATE KEY", 17)}`;
    const findings = await scanText(text);
    expect(findings.map((f) => [f.rule, f.location?.line])).toEqual([["secrets/private-key", 3]]);
  });

  it("marks a passphrase-protected key suspicious", async () => {
    const findings = await scanText(pem("ENCRYPTED PRIVATE KEY", 16));
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([["secrets/private-key", "suspicious"]]);
  });
});

describe("notebooks", () => {
  it("finds secrets in cell sources and outputs with the cell index and the line in the cell", async () => {
    const text = notebook([
      { cell_type: "markdown", metadata: {}, source: ["# Train\n", "Set your token first.\n"] },
      {
        cell_type: "code",
        metadata: {},
        outputs: [],
        source: ["import os\n", `os.environ["HF_TOKEN"] = "${hf(20)}"\n`],
      },
      {
        cell_type: "code",
        metadata: {},
        source: ["print(os.environ)\n"],
        outputs: [
          { output_type: "stream", name: "stdout", text: [`{'GH': '${githubStyleToken("ghp", 21)}'}\n`] },
          {
            output_type: "display_data",
            metadata: {},
            data: { "image/png": hf(22), "text/plain": ["<Figure>"] },
          },
          { output_type: "error", ename: "E", evalue: "bad", traceback: ["line 1", `token=${hf(23)}`] },
        ],
      },
    ]);
    const findings = await scanText(text, "nb/train.ipynb");
    expect(findings.map((f) => [f.rule, f.location, f.data?.part])).toEqual([
      ["secrets/huggingface-token", { cell: 1, line: 2, column: 27 }, "source"],
      ["secrets/github-token", { cell: 2, line: 1, column: 9 }, "output"],
      ["secrets/huggingface-token", { cell: 2, line: 2, column: 7 }, "output"],
    ]);
    expect(findings.every((f) => f.data?.kind === "notebook")).toBe(true);
  });

  it("decodes JSON escapes, so a token split by an escape is still found", async () => {
    const token = hf(24);
    const escaped = notebook([
      { cell_type: "code", metadata: {}, outputs: [], source: `t = "${token}"` },
    ]).replace(token.slice(3, 4), `\\u00${token.charCodeAt(3).toString(16)}`);
    expect(escaped).not.toContain(token);
    expect((await scanText(escaped, "x.ipynb")).map((f) => f.rule)).toEqual(["secrets/huggingface-token"]);
  });

  it("scans a file that only looks like a notebook as plain text", async () => {
    const text = `{"cells": [ "nbformat", broken json\nHF_TOKEN=${hf(25)}`;
    const findings = await scanText(text, "x.ipynb");
    expect(findings.map((f) => [f.rule, f.location])).toEqual([
      ["secrets/huggingface-token", { line: 2, column: 10 }],
    ]);
  });
});

/** Protocol-2 pickle of `argparse.Namespace(**fields)`, built opcode by opcode. */
function pickledNamespace(fields: [string, string][]): Uint8Array {
  const bytes: number[] = [0x80, 2];
  const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
  bytes.push(0x63, ...ascii("argparse\nNamespace\n")); // GLOBAL
  bytes.push(0x29, 0x81, 0x7d, 0x28); // EMPTY_TUPLE NEWOBJ EMPTY_DICT MARK
  for (const [k, v] of fields) {
    for (const str of [k, v]) bytes.push(0x58, str.length, 0, 0, 0, ...ascii(str)); // BINUNICODE
  }
  bytes.push(0x75, 0x62, 0x2e); // SETITEMS BUILD STOP
  return new Uint8Array(bytes);
}

describe("strings from model files", () => {
  it("finds credentials in a pickled argparse namespace through the pickle engine", async () => {
    const wandb = rand(HEX, 40, 29);
    const token = hf(28);
    const pickle = pickledNamespace([
      ["output_dir", "/checkpoints/run-42"],
      ["wandb_api_key", wandb],
      ["hub_token", token],
      ["lr_scheduler_type", "cosine_with_restarts"],
    ]);
    const report = await scanSource(new MemorySource(pickle), "training_args.bin", {
      checks: [secretsCheck()],
    });
    const secrets = report.findings.filter((f) => f.check === "secrets");
    expect(secrets.map((f) => [f.rule, f.data?.kind]).sort()).toEqual([
      ["secrets/huggingface-token", "pickle-string"],
      ["secrets/wandb-api-key", "pickle-string"],
    ]);
    for (const f of secrets) expect(typeof f.location?.offset).toBe("number");
    const json = JSON.stringify(report);
    expect(json).not.toContain(wandb);
    expect(json).not.toContain(token);
  });

  it("locates a pickle string constant by member and offset", async () => {
    const findings = await scanFragments([
      { text: hf(30), kind: "pickle-string", member: "archive/data.pkl", offset: 1234 },
    ]);
    expect(findings.map((f) => [f.rule, f.location, f.data?.kind])).toEqual([
      ["secrets/huggingface-token", { member: "archive/data.pkl", offset: 1234 }, "pickle-string"],
    ]);
  });

  it("scans many pickle strings as joined texts and still locates each by its offset", async () => {
    const strings = Array.from({ length: 20_000 }, (_, i) => ({
      text: `layer.${i}.attention.weight`,
      kind: "pickle-string",
      member: "m/data.pkl",
      offset: i * 40,
    }));
    strings[12_345] = { ...strings[12_345], text: hf(36) } as (typeof strings)[number];
    // Long strings force several joined units (1 MiB each).
    strings.push({ text: "x".repeat(700_000), kind: "pickle-string", member: "m/data.pkl", offset: 900_000 });
    strings.push({
      text: "y".repeat(700_000),
      kind: "pickle-string",
      member: "m/data.pkl",
      offset: 1_700_000,
    });
    strings.push({ text: hf(37), kind: "pickle-string", member: "m/data.pkl", offset: 2_500_000 });
    const findings = await scanFragments(strings, "model.pt");
    expect(findings.map((f) => f.location)).toEqual([
      { member: "m/data.pkl", offset: 12_345 * 40 },
      { member: "m/data.pkl", offset: 2_500_000 },
    ]);
  });

  it("pairs a pickled argparse key with its value for key-name detectors", async () => {
    // Namespace(wandb_api_key='…', hf_token='hf_…', learning_rate_schedule='cosine_with_restarts')
    const strings = [
      { text: "argparse.Namespace", offset: 10 },
      { text: "wandb_api_key", offset: 60 },
      { text: rand(HEX, 40, 31), offset: 76 },
      { text: hf(32), offset: 140 },
      { text: "learning_rate_schedule", offset: 200 },
      { text: "cosine_with_restarts", offset: 225 },
    ].map((s) => ({ ...s, kind: "pickle-string", member: "ckpt/data.pkl" }));
    const findings = await scanFragments(strings, "model.pt");
    expect(findings.map((f) => [f.rule, f.location?.offset]).sort()).toEqual([
      ["secrets/huggingface-token", 140],
      ["secrets/wandb-api-key", 76],
    ]);
  });

  it("does not pair strings far apart or in different members", async () => {
    const findings = await scanFragments([
      { text: "wandb_api_key", kind: "pickle-string", member: "a.pkl", offset: 0 },
      { text: rand(HEX, 40, 33), kind: "pickle-string", member: "a.pkl", offset: 5000 },
      { text: "wandb_api_key", kind: "pickle-string", member: "b.pkl", offset: 0 },
      { text: rand(HEX, 40, 34), kind: "pickle-string", member: "c.pkl", offset: 20 },
    ]);
    expect(findings).toEqual([]);
  });

  it("scans metadata strings of other formats", async () => {
    const findings = await scanFragments([
      { text: `{"training_args": "--hub_token ${hf(35)}"}`, kind: "safetensors-metadata", offset: 8 },
    ]);
    expect(findings.map((f) => [f.rule, f.location])).toEqual([["secrets/huggingface-token", { offset: 8 }]]);
  });
});

describe("ignoring accepted findings", () => {
  it("drops a finding whose line carries the inline comment, and only that one", async () => {
    const text = `A = "${hf(40)}"  # modelgate:allow-secret\nB = "${hf(41)}"\n`;
    const findings = await scanText(text);
    expect(findings.map((f) => f.location?.line)).toEqual([2]);
  });

  it("drops findings listed in the ignore file by fingerprint", async () => {
    const text = `A = "${hf(42)}"\nB = "${hf(43)}"\n`;
    const [first, second] = await scanText(text);
    const ignoreFile = `# accepted: test account\n${String(first?.data?.fingerprint).toUpperCase()}  # A\n\n`;
    const findings = await scanText(text, "x", { ignore: parseSecretsIgnore(ignoreFile) });
    expect(findings.map((f) => f.data?.fingerprint)).toEqual([second?.data?.fingerprint]);
  });

  it("rejects an ignore-file line that is not a fingerprint, without quoting it", () => {
    const token = hf(44);
    expect(() => parseSecretsIgnore(`${"a".repeat(64)}\n${token}\n`)).toThrow(
      /line 2: expected a 64-hex-digit/,
    );
    let message = "";
    try {
      parseSecretsIgnore(token);
    } catch (err) {
      message = String(err);
    }
    expect(message).toMatch(/line 1: expected a 64-hex-digit/);
    expect(message).not.toContain(token);
    expect(parseSecretsIgnore("\n# only comments\n")).toEqual([]);
  });
});

describe("false-positive suppression", () => {
  it("stays silent on an ordinary model repository", async () => {
    const files: Record<string, string> = {
      "config.json": JSON.stringify({
        architectures: ["LlamaForCausalLM"],
        _commit_hash: rand(HEX, 40, 50),
        pad_token: "<|endoftext|>",
        tokenizer_class: "PreTrainedTokenizerFast",
        max_position_embeddings: 4096,
        auto_map: { AutoConfig: "configuration.Config" },
      }),
      "tokenizer_config.json": JSON.stringify({
        added_tokens_decoder: { 0: { content: "<unk>" } },
        model_max_length: 2048,
      }),
      "README.md": 'Set `HF_TOKEN=hf_xxx` or pass `token="<YOUR_TOKEN>"`; OpenAI keys look like `sk-...`.\n',
      "train.py": [
        'token = os.environ["HF_TOKEN"]',
        'api_key = os.getenv("OPENAI_API_KEY")',
        'password = getpass.getpass("Password: ")',
        `run_id = "${rand(HEX, 32, 51)}"`,
        `uuid = "${[8, 4, 4, 4, 12].map((n, i) => rand(HEX, n, 52 + i)).join("-")}"`,
        `sha256 = "${rand(HEX, 64, 57)}"`,
        `tokenizer = AutoTokenizer.from_pretrained("org/model", revision="${rand(HEX, 40, 58)}")`,
      ].join("\n"),
      ".env.example":
        "HF_TOKEN=\nOPENAI_API_KEY=sk-your-key-here\nDATABASE_URL=postgres://user:password@localhost/db\n",
      "weights.b64": b64(randBytes(300_000, 59)),
    };
    for (const [path, text] of Object.entries(files)) {
      expect(await scanText(text, path), path).toEqual([]);
    }
  });

  it("skips key-name detectors in lock files but still finds real tokens there", async () => {
    const lock = JSON.stringify(
      {
        packages: {
          "node_modules/x": {
            resolved: "https://registry.npmjs.org/x/-/x-1.0.0.tgz",
            integrity: `sha512-${b64(randBytes(64, 60))}`,
            secret_key: `${rand(ALNUM, 30, 61)}9!`,
          },
        },
      },
      null,
      2,
    );
    expect(await scanText(lock, "app/package-lock.json")).toEqual([]);
    expect((await scanText(lock, "app/config.json")).map((f) => f.rule)).toEqual(["secrets/generic-secret"]);
    const withToken = lock.replace("https://", `https://u:${githubStyleToken("ghp", 62)}@`);
    expect((await scanText(withToken, "package-lock.json")).map((f) => f.rule)).toEqual([
      "secrets/github-token",
    ]);
  });

  it("does not report token-shaped runs inside a base64 blob", async () => {
    const blob = `${b64(randBytes(3000, 63))}AKIA${rand(BASE32, 16, 64)}${b64(randBytes(3000, 65))}`;
    expect(await scanText(`data = "${blob}"`, "x.py")).toEqual([]);
  });
});
