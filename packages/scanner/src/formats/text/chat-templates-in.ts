/** A Jinja template found in a text file, with where it is (for messages). */
export interface FoundTemplate {
  where: string;
  template: string;
}

/**
 * Files that are one chat template each: `chat_template.jinja` (Transformers >= 4.43 saves it), the
 * `*.jinja` / `*.j2` templates serving tools ship (`tool_chat_template_llama3.1_json.jinja`), at any
 * depth when the name says `chat`.
 */
const TEMPLATE_FILE = /(?:^|\/)[^/]*chat[^/]*\.(?:jinja2?|j2)$/i;
/**
 * Any `*.jinja` / `*.j2` at the root of a scanned repository (`template_alpaca.jinja`): where model
 * repositories keep their templates. Jinja files deeper down (web pages, Ansible roles), and those
 * whose name says they render another format (`page.html.j2`), are rendered by the code that ships
 * them, outside any sandbox, so a dunder there (`{{ x.__repr__() }}`) is not an escape: there only
 * names saying `chat` count.
 */
const ROOT_TEMPLATE_FILE = /^[^/.]+\.(?:jinja2?|j2)$/i;
/** YAML configs, whose `chat_template` keys `yamlChatTemplates` reads. */
export const YAML_FILE = /\.ya?ml$/i;

/** JSON configs that may hold chat templates: Transformers' tokenizer, processor and template files. */
const JSON_FILE = /\.json$/i;

/**
 * The chat templates in a text file, by its name: a `.jinja`/`.j2` file is one; a JSON file
 * (`tokenizer_config.json`, `chat_template.json`, `processor_config.json`, ...) holds them under
 * `chat_template`, as a string or as a list of `{name, template}` (Transformers' named templates).
 * JSON that does not parse holds none here (it is not a config Transformers could read).
 */
export function chatTemplatesIn(name: string | undefined, text: string): FoundTemplate[] {
  if (name === undefined) return [];
  if (TEMPLATE_FILE.test(name) || ROOT_TEMPLATE_FILE.test(name)) {
    return [{ where: "the template file", template: text }];
  }
  if (!JSON_FILE.test(name) || !text.includes('"chat_template"')) return [];
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof config !== "object" || config === null) return [];
  const value = (config as Record<string, unknown>).chat_template;
  if (typeof value === "string") return [{ where: "chat_template", template: value }];
  if (!Array.isArray(value)) return [];
  const found: FoundTemplate[] = [];
  for (const [i, entry] of value.entries()) {
    const e = entry as Record<string, unknown> | null;
    if (typeof e?.template !== "string") continue;
    const label = typeof e.name === "string" ? JSON.stringify(e.name.slice(0, 80)) : String(i);
    found.push({ where: `chat_template ${label}`, template: e.template });
  }
  return found;
}
