import { describe, expect, it } from "vitest";
import type { ScanCheck } from "../../checks/scan-check.js";
import { CountingSource, MemorySource } from "../../reader/byte-source.js";
import type { FileReport } from "../../report/types.js";
import { scanSource } from "../../scan.js";
import { buildGguf, type GgufValue } from "./test-helpers/build-gguf.js";

/** The GGUF reader's bound on metadata entries (@huggingface/gguf MAX_KV_COUNT). */
const LIBRARY_MAX_KV_COUNT = 100_000;

const template = "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}";

function goodKvs(): Record<string, GgufValue> {
  return {
    "general.architecture": { str: "llama" },
    "general.name": { str: "tiny" },
    "llama.context_length": { u32: 2048 },
    "tokenizer.ggml.tokens": { strs: ["<s>", "</s>", "hello"] },
    "tokenizer.chat_template": { str: template },
  };
}

async function scan(bytes: Uint8Array, checks?: ScanCheck[]): Promise<FileReport> {
  return scanSource(new MemorySource(bytes), "model.gguf", checks ? { checks } : {});
}

describe("GGUF", () => {
  it("accepts a well-formed file and summarises it", async () => {
    const bytes = buildGguf(goodKvs(), [{ name: "tok_embd.weight", shape: [4, 3] }], 48);
    const report = await scan(bytes);
    expect(report).toMatchObject({ format: "gguf", verdict: "safe", findings: [] });
    expect(report.info?.gguf).toEqual({
      version: 3,
      architecture: "llama",
      name: "tiny",
      tensors: 1,
      metadataKeys: 5,
      parameters: 12,
      chatTemplates: 1,
    });
  });

  it("hands the chat template and metadata strings to the text checks, not the vocabulary", async () => {
    const seen: string[] = [];
    const spy: ScanCheck = {
      id: "secrets",
      run(input) {
        for (const t of input.texts) seen.push(`${t.kind}:${t.text}`);
        return {};
      },
    };
    await scan(buildGguf(goodKvs()), [spy]);
    expect(seen).toEqual(["gguf-metadata:llama", "gguf-metadata:tiny", `gguf-chat-template:${template}`]);
  });

  it("flags a chat template that escapes the Jinja sandbox as dangerous", async () => {
    const kvs = {
      ...goodKvs(),
      "tokenizer.chat_template": { str: "{{ cycler.__init__.__globals__.os.popen('id').read() }}" },
    };
    const report = await scan(buildGguf(kvs));
    expect(report.verdict).toBe("dangerous");
    expect(report.findings[0]?.message).toContain('metadata "tokenizer.chat_template"');
  });

  it("checks named chat templates too (tokenizer.chat_template.<name>)", async () => {
    const kvs = { ...goodKvs(), "tokenizer.chat_template.tool_use": { str: "{{ x.__class__ }}" } };
    expect((await scan(buildGguf(kvs))).verdict).toBe("dangerous");
  });

  it("reads only the header of a large file", async () => {
    const bytes = buildGguf(goodKvs(), [{ name: "w", shape: [1024, 4096] }], 16 * 1024 * 1024);
    const counting = new CountingSource(new MemorySource(bytes));
    const report = await scanSource(counting, "big.gguf");
    expect(report.verdict).toBe("safe");
    expect(counting.bytesRead).toBeLessThanOrEqual(2_000_000 + 4096);
  });

  it("fails closed on a truncated header", async () => {
    const bytes = buildGguf(goodKvs());
    const report = await scan(bytes.subarray(0, 40));
    expect(report).toMatchObject({ format: "gguf", verdict: "error" });
    expect(report.findings.map((f) => f.rule)).toEqual(["gguf/truncated"]);
  });

  it("fails closed on a string length of 2^40 (allocation attack)", async () => {
    const report = await scan(buildGguf({ "general.name": { rawStringLength: 1n << 40n } }));
    expect(report.verdict).toBe("error");
    expect(report.findings[0]?.message).toContain("exceeds maximum");
  });

  it(`accepts ${LIBRARY_MAX_KV_COUNT} metadata entries, rejects one more`, async () => {
    const kvs: Record<string, GgufValue> = {};
    for (let i = 0; i < LIBRARY_MAX_KV_COUNT; i++) kvs[`k.${i}`] = { u32: i };
    expect((await scan(buildGguf(kvs))).verdict).toBe("safe");
    const report = await scan(buildGguf({}, [], 0, BigInt(LIBRARY_MAX_KV_COUNT + 1)));
    expect(report.verdict).toBe("error");
    expect(report.findings[0]?.message).toContain("exceeds maximum");
  });
});
