// Chat templates wherever they live (issue 12): the same checker judges templates in JSON configs,
// template files and YAML configs; real templates (from the GGUF models of the shared benign corpus)
// stay safe in every place, and sandbox-escape gadgets are dangerous with their location named.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemorySource } from "../../reader/byte-source.js";
import type { FileReport } from "../../report/types.js";
import { scanSource } from "../../scan.js";

const scan = (name: string, text: string): Promise<FileReport> =>
  scanSource(new MemorySource(new TextEncoder().encode(text)), name);
const rules = (r: FileReport) => r.findings.map((f) => f.rule);

/** A YAML block scalar holding `text`, indented under its key. */
const block = (text: string, indent = "  ") =>
  `|-\n${text
    .split("\n")
    .map((l) => indent + l)
    .join("\n")}`;

/** Every place a template can live, each with how to write `template` there and how it is named. */
const PLACES: [string, (t: string) => string, string][] = [
  ["tokenizer_config.json", (t) => JSON.stringify({ chat_template: t }), "chat_template"],
  ["chat_template.json", (t) => JSON.stringify({ chat_template: t }), "chat_template"],
  [
    "processor_config.json",
    (t) => JSON.stringify({ processor_class: "X", chat_template: t }),
    "chat_template",
  ],
  ["preprocessor_config.json", (t) => JSON.stringify({ chat_template: t }), "chat_template"],
  ["chat_template.jinja", (t) => t, "the template file"],
  ["template_alpaca.jinja", (t) => t, "the template file"],
  ["config.yaml", (t) => `model: org/m\nchat_template: ${block(t)}\n`, "YAML key chat_template"],
  [
    "train.yml",
    (t) => `base_model: org/m\ndatasets:\n  - path: data.jsonl\n    chat_template: ${block(t, "      ")}\n`,
    "YAML key datasets[0].chat_template",
  ],
  [
    "axolotl.yaml",
    (t) => `chat_template: jinja\nchat_template_jinja: ${JSON.stringify(t)}\n`,
    "YAML key chat_template_jinja",
  ],
];

/** The chat templates of the GGUF models in the shared benign corpus, read with the GGUF reader. */
async function realTemplates(): Promise<[string, string][]> {
  const { gguf } = await import("@huggingface/gguf");
  const dir = join(
    __dirname,
    "..",
    "..",
    "..",
    "..",
    "..",
    "..",
    "shared",
    "corpus",
    "benign-ecosystem",
    "gguf",
  );
  const out: [string, string][] = [];
  for (const file of readdirSync(dir).sort()) {
    const bytes = readFileSync(join(dir, file));
    const fetch = async () => new Response(bytes);
    const { metadata } = await gguf("https://example.invalid/m.gguf", { fetch: fetch as never });
    for (const [key, value] of Object.entries(metadata)) {
      if (key.includes("chat_template") && typeof value === "string") out.push([`${file} ${key}`, value]);
    }
  }
  return out;
}

const GADGETS = [
  "{{ ''.__class__.__mro__[1].__subclasses__() }}",
  "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
  "{{ self._TemplateReference__context.cycler.__init__.__globals__.os }}",
  "{{ lipsum.__globals__['os'].popen('id').read() }}",
  "{{ self['_TemplateReference' ~ '__context'] }}",
];

describe("chat templates wherever they live", () => {
  it("keeps the real templates of six model families safe in every place", async () => {
    const templates = await realTemplates();
    expect(templates.length).toBeGreaterThanOrEqual(6);
    for (const [source, template] of templates) {
      for (const [name, write] of PLACES) {
        const r = await scan(name, write(template));
        expect(r.findings, `${source} in ${name}`).toEqual([]);
        expect(r.verdict).toBe("safe");
      }
    }
  });

  it("calls each sandbox-escape gadget dangerous in every place, naming where it is", async () => {
    for (const gadget of GADGETS) {
      for (const [name, write, where] of PLACES) {
        const r = await scan(
          name,
          write(`{% for message in messages %}{{ message['content'] }}{% endfor %}${gadget}`),
        );
        expect(r.verdict, `${gadget} in ${name}`).toBe("dangerous");
        expect(
          r.findings.some(
            (f) => f.rule.startsWith("text/chat-template-") && f.message.startsWith(`${where}:`),
          ),
          `${gadget} in ${name}: ${r.findings.map((f) => f.message).join(" | ")}`,
        ).toBe(true);
      }
    }
  });

  it("reads named template lists and aliases in YAML", async () => {
    const yaml = [
      "templates:",
      "  base: &evil \"{{ cycler.__init__.__globals__.os.popen('id').read() }}\"",
      "chat_template:",
      "  - name: default",
      '    template: "{{ messages[0].content }}"',
      "  - name: tool_use",
      "    template: *evil",
    ].join("\n");
    const r = await scan("tokenizer.yaml", yaml);
    expect(r.verdict).toBe("dangerous");
    expect(r.findings.some((f) => f.message.startsWith('YAML key chat_template "tool_use":'))).toBe(true);
  });

  it("leaves Jinja files below the root alone unless their name says chat", async () => {
    const page = "<li>{{ item.__repr__() }}</li>";
    expect(await scan("docs/_templates/page.jinja", page)).toMatchObject({ verdict: "safe", findings: [] });
    expect((await scan("templates/chat_llama.jinja", page)).verdict).toBe("dangerous");
  });

  it("does not parse YAML that names no chat template, and keeps ordinary configs safe", async () => {
    const compose = "services:\n  web:\n    image: nginx\n    command: ['{{ x.__class__ }}']\n";
    expect(await scan("docker-compose.yml", compose)).toMatchObject({ verdict: "safe", findings: [] });
  });
});

describe("YAML configs that cannot be read within bounds", () => {
  it("survives a billion-laughs document under a template key without expanding it", async () => {
    const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    const names = "abcdefghij";
    for (let i = 1; i < names.length; i++) {
      const prev = names[i - 1];
      lines.push(
        `${names[i]}: &${names[i]} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`,
      );
    }
    lines.push("chat_template: *j");
    const started = performance.now();
    const r = await scan("config.yaml", lines.join("\n"));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(r.verdict).toBe("safe");
  });

  it("refuses nesting past the bound, and accepts it at the bound", async () => {
    const nested = (n: number) => `chat_template: "{{ x }}"\nk: ${"[".repeat(n)}${"]".repeat(n)}\n`;
    expect(rules(await scan("config.yaml", nested(63)))).toEqual([]);
    for (const n of [64, 100_000]) {
      const deep = await scan("config.yaml", nested(n));
      expect(rules(deep)).toEqual(["text/chat-template-too-large"]);
      expect(deep.verdict).toBe("error");
    }
  });

  it("says a YAML config naming chat_template that does not parse was not checked", async () => {
    const r = await scan("config.yaml", 'chat_template: "{{ x }}\nother: [unclosed\n');
    expect(rules(r)).toEqual(["text/chat-template-unparsed"]);
    expect(r.verdict).toBe("error");
  });
});
