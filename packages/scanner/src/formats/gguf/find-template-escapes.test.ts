import * as jinja from "@huggingface/jinja";
import { describe, expect, it } from "vitest";
import { FIXED_LIMITS } from "../../limits.js";
import { findTemplateEscapes } from "./find-template-escapes.js";

const chatml =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
const withNamespace =
  "{% set ns = namespace(system='') %}{%- for m in messages -%}{%- if m.role == 'system' -%}{% set ns.system = m.content %}{%- else -%}{{ m.content | trim }}{%- endif -%}{%- endfor -%}{{ ns.system | tojson }}";

const rules = (t: string) => findTemplateEscapes(jinja, t, "metadata").map((i) => `${i.rule}:${i.severity}`);

describe("findTemplateEscapes", () => {
  it("accepts real chat templates (ChatML, namespace and filters)", () => {
    expect(rules(chatml)).toEqual([]);
    expect(rules(withNamespace)).toEqual([]);
  });

  it("flags the classic cycler.__init__.__globals__.os.popen escape", () => {
    const t = "{{ cycler.__init__.__globals__.os.popen('id').read() }}";
    expect(new Set(rules(t))).toEqual(
      new Set(["gguf/template-dunder:dangerous", "gguf/template-os-call:dangerous"]),
    );
  });

  it("flags __class__.__mro__ / __subclasses__ walks", () => {
    expect(rules("{{ ''.__class__.__mro__[1].__subclasses__() }}")).toContain(
      "gguf/template-dunder:dangerous",
    );
  });

  it("flags dunder names in subscripts and attr filters, also hex-escaped", () => {
    expect(rules("{{ messages['__class__'] }}")).toEqual(["gguf/template-dunder:dangerous"]);
    expect(rules("{{ messages|attr('\\x5f\\x5fclass\\x5f\\x5f') }}")).toEqual([
      "gguf/template-dunder:dangerous",
    ]);
  });

  it("flags a dunder name assembled from pieces", () => {
    expect(rules("{{ x[('__glo' ~ 'bals__')] }}")).toContain("gguf/template-dunder:dangerous");
  });

  it("flags an attribute name computed at render time as suspicious", () => {
    expect(rules("{{ messages|attr(name) }}")).toEqual(["gguf/template-computed-attr:suspicious"]);
  });

  it("fails closed on a template the parser rejects", () => {
    expect(rules("{% if %}")).toEqual(["gguf/template-unparsed:error"]);
  });

  it(`parses a template of ${FIXED_LIMITS.maxTemplateChars} characters, rejects one more`, () => {
    const at = "x".repeat(FIXED_LIMITS.maxTemplateChars);
    expect(rules(at)).toEqual([]);
    expect(rules(`${at}x`)).toEqual(["gguf/template-too-large:error"]);
  });
});
