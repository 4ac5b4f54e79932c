import { describe, expect, it } from "vitest";
import { MemorySource } from "../../reader/byte-source.js";
import type { FileReport } from "../../report/types.js";
import { scanSource } from "../../scan.js";

const scan = (name: string, text: string): Promise<FileReport> =>
  scanSource(new MemorySource(new TextEncoder().encode(text)), name);
const rules = (r: FileReport) => r.findings.map((f) => f.rule);
const config = (chatTemplate: unknown) =>
  JSON.stringify({ bos_token: "<s>", eos_token: "</s>", chat_template: chatTemplate }, null, 2);

// Real templates, abridged to their control flow (ChatML as Qwen2 ships it, Llama 3, Mistral).
const CHATML =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
const LLAMA3 =
  "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";
const MISTRAL_TOOLS =
  "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{% if tools is not none and loop.last %}[AVAILABLE_TOOLS] {{ tools|tojson }}[/AVAILABLE_TOOLS]{% endif %}[INST] {{ message['content'] }}[/INST]{% elif message['role'] == 'assistant' %}{% if message.tool_calls is defined %}[TOOL_CALLS] {% for tc in message.tool_calls %}{{ {'name': tc.function.name, 'arguments': tc.function.arguments}|tojson }}{% endfor %}{% else %}{{ message['content'] + eos_token }}{% endif %}{% endif %}{% endfor %}";

describe("chat templates outside GGUF", () => {
  it("keeps real templates safe in tokenizer_config.json, as named templates and in chat_template.jinja", async () => {
    for (const t of [CHATML, LLAMA3, MISTRAL_TOOLS]) {
      expect(await scan("tokenizer_config.json", config(t))).toMatchObject({ verdict: "safe", findings: [] });
      expect(await scan("chat_template.jinja", t)).toMatchObject({ verdict: "safe", findings: [] });
    }
    const named = config([
      { name: "default", template: CHATML },
      { name: "tool_use", template: MISTRAL_TOOLS },
    ]);
    expect(await scan("tokenizer_config.json", named)).toMatchObject({ verdict: "safe", findings: [] });
  });

  it("finds the escape of the issue in tokenizer_config.json", async () => {
    const r = await scan(
      "tokenizer_config.json",
      config("{{ cycler.__init__.__globals__.os.popen('id').read() }}"),
    );
    expect(r.verdict).toBe("dangerous");
    expect(rules(r)).toContain("text/chat-template-os-call");
    expect(rules(r)).toContain("text/chat-template-dunder");
  });

  it("finds an escape in the second of a list of named templates", async () => {
    const evil = "{{ (lipsum|attr(['_','_','globals','_','_']|join))['os'].system('id') }}";
    const r = await scan(
      "tokenizer_config.json",
      config([
        { name: "default", template: CHATML },
        { name: "tool_use", template: evil },
      ]),
    );
    expect(r.verdict).toBe("dangerous");
    expect(
      r.findings.some((f) => f.message.includes('"tool_use"') && f.message.includes("__globals__")),
    ).toBe(true);
  });

  it("finds dunders written with concatenation, repetition, escapes, format and reversal", async () => {
    const disguised = [
      "{{ messages[('_' * 2) ~ 'class' ~ ('_' * 2)] }}",
      "{{ messages['__cla' + 'ss__'] }}",
      "{{ messages['\\x5f\\x5fclass\\x5f\\x5f'] }}",
      "{{ messages|attr('%sclass%s'|format('_' * 2, '_' * 2)) }}",
      "{{ messages|attr('{0}{0}init{0}{0}'.format('_')) }}",
      "{{ messages['__ssalc__'|reverse] }}",
      "{{ messages['po' ~ 'pen']('id') }}",
    ];
    for (const t of disguised) {
      for (const [name, text] of [
        ["chat_template.jinja", t],
        ["chat_template.json", JSON.stringify({ chat_template: t })],
        ["processor_config.json", config(t)],
        ["tool_chat_template_llama3.j2", t],
      ] as const) {
        const r = await scan(name, text);
        expect(r.verdict, `${name}: ${t}`).toBe("dangerous");
      }
    }
  });

  it("leaves Jinja files that are not chat templates alone (an HTML widget calling __repr__)", async () => {
    const r = await scan("computation.html.j2", "<li> {{ gr.__repr__() | html_escape }} </li>\n");
    expect(r).toMatchObject({ format: "text", verdict: "safe" });
  });
});

describe("chat templates that cannot be checked", () => {
  it("reports a template the parser rejects, an oversized one, and a computed attribute name", async () => {
    expect(rules(await scan("chat_template.jinja", "{% for %}"))).toEqual(["text/chat-template-unparsed"]);
    const big = `{{ '${"a".repeat(1024 * 1024)}' }}`;
    expect(rules(await scan("chat_template.jinja", big))).toEqual(["text/chat-template-too-large"]);
    const computed = await scan("chat_template.jinja", "{{ messages|attr(messages[0]['content']) }}");
    expect(rules(computed)).toEqual(["text/chat-template-computed-attr"]);
    expect(computed.verdict).toBe("suspicious");
  });
});
