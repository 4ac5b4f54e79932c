import type { ParseContext } from "../format-parser.js";
import { findTemplateEscapes, TEXT_TEMPLATE_RULES } from "../gguf/find-template-escapes.js";
import { chatTemplatesIn, type FoundTemplate, YAML_FILE } from "./chat-templates-in.js";
import { yamlChatTemplates } from "./yaml-chat-templates.js";

/**
 * Finds the chat templates of a text file by its name (`chatTemplatesIn`, and `chat_template` keys of
 * YAML configs) and reports each one's sandbox escapes, naming where the template is. A YAML config
 * naming `chat_template` that cannot be read within its bounds is reported as not checked (`error`).
 */
export async function checkChatTemplates(
  name: string | undefined,
  text: string,
  ctx: ParseContext,
): Promise<void> {
  const templates: FoundTemplate[] = chatTemplatesIn(name, text);
  if (name !== undefined && YAML_FILE.test(name) && text.includes("chat_template")) {
    // Loaded on first use: most text files are not YAML configs with templates.
    const yaml = await import("yaml");
    const found = yamlChatTemplates(yaml, text);
    if ("unreadable" in found) {
      ctx.finding({
        check: "format",
        rule: found.tooLarge ? TEXT_TEMPLATE_RULES.tooLarge : TEXT_TEMPLATE_RULES.unparsed,
        severity: "error",
        message: `the YAML config names chat_template but could not be read for templates: ${found.unreadable}; not checked`,
      });
    } else templates.push(...found.templates);
  }
  if (templates.length === 0) return;
  // Loaded on first use, as for GGUF: most text files hold no template.
  const jinja = await import("@huggingface/jinja");
  for (const { where, template } of templates) {
    for (const issue of findTemplateEscapes(jinja, template, where, TEXT_TEMPLATE_RULES)) {
      ctx.finding({ check: "format", rule: issue.rule, severity: issue.severity, message: issue.message });
    }
  }
}
