import type * as Yaml from "yaml";
import { FIXED_LIMITS } from "../../limits.js";
import type { FoundTemplate } from "./chat-templates-in.js";

/**
 * Keys whose string value is a Jinja chat template in the YAML configs of training and serving tools
 * (`chat_template` in Transformers-style configs and LLaMA-Factory, `chat_template_jinja` in Axolotl).
 * A value that is a template's name (`chat_template: chatml`) parses as plain text and is safe.
 */
const TEMPLATE_KEY = /(?:^|[._])chat_template(?:_jinja)?$/;

/** What a YAML config holds: its templates, or why it could not be read within the bounds. */
export type YamlTemplates = { templates: FoundTemplate[] } | { unreadable: string; tooLarge: boolean };

/**
 * Flow (`[`, `{`) and block (indentation) nesting of a YAML text, measured without parsing, so that a
 * deeply nested document is refused before the parser's recursion meets it (CWE-674).
 */
function nestingDepth(text: string): number {
  let flow = 0;
  let deepest = 0;
  const indents: number[] = [];
  for (const line of text.split("\n")) {
    const indent = line.length - line.trimStart().length;
    if (line.trim() !== "") {
      while (indents.length > 0 && (indents[indents.length - 1] as number) >= indent) indents.pop();
      indents.push(indent);
    }
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++flow + indents.length);
      else if ((c === 0x5d || c === 0x7d) && flow > 0) flow--;
    }
    deepest = Math.max(deepest, flow + indents.length);
  }
  return deepest;
}

/** A path in a document for messages: `chat_template`, `datasets[0].chat_template`. */
function step(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

/**
 * The chat templates of a YAML config, under any key named like `chat_template` at any depth (a
 * string, or a list of `{name, template}` as in Transformers' configs). The document is walked as the
 * parser's syntax tree, never converted to plain values: an alias is looked up once where a template
 * key points to it, never expanded, so a "billion laughs" document costs its own size. Bounded in
 * characters, nesting, documents and nodes (`FIXED_LIMITS.maxYaml*`); past a bound, or when the YAML
 * does not parse, the config is reported as unreadable (the caller says its templates were not checked).
 */
export function yamlChatTemplates(yaml: typeof Yaml, text: string): YamlTemplates {
  if (text.length > FIXED_LIMITS.maxYamlConfigChars) {
    return {
      unreadable: `YAML config of ${text.length} characters exceeds ${FIXED_LIMITS.maxYamlConfigChars}`,
      tooLarge: true,
    };
  }
  const depth = nestingDepth(text);
  if (depth > FIXED_LIMITS.maxYamlDepth) {
    return {
      unreadable: `YAML nested ${depth} levels deep, past ${FIXED_LIMITS.maxYamlDepth}`,
      tooLarge: true,
    };
  }
  let docs: Yaml.Document.Parsed[];
  try {
    // Duplicate keys are kept (PyYAML takes the last one; both are checked here).
    docs = yaml.parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false }) as Yaml.Document.Parsed[];
  } catch (err) {
    return {
      unreadable: `YAML does not parse: ${err instanceof Error ? err.message : String(err)}`,
      tooLarge: false,
    };
  }
  if (!Array.isArray(docs)) docs = [];
  if (docs.length > FIXED_LIMITS.maxYamlDocuments) {
    return { unreadable: `more than ${FIXED_LIMITS.maxYamlDocuments} YAML documents`, tooLarge: true };
  }
  const templates: FoundTemplate[] = [];
  let nodes = 0;
  for (const [index, doc] of docs.entries()) {
    const error = doc.errors[0];
    if (error) return { unreadable: `YAML does not parse: ${error.message.split("\n")[0]}`, tooLarge: false };
    const prefix = docs.length > 1 ? `document ${index + 1} ` : "";
    const stack: { node: unknown; path: string }[] = [{ node: doc.contents, path: "" }];
    while (stack.length > 0) {
      const { node, path } = stack.pop() as { node: unknown; path: string };
      if (++nodes > FIXED_LIMITS.maxYamlNodes) {
        return { unreadable: `more than ${FIXED_LIMITS.maxYamlNodes} YAML nodes`, tooLarge: true };
      }
      if (yaml.isMap(node)) {
        for (const pair of node.items) {
          const key = yaml.isScalar(pair.key) ? String(pair.key.value) : "?";
          const at = step(path, key);
          if (TEMPLATE_KEY.test(key))
            templates.push(...valueTemplates(yaml, doc, pair.value, `${prefix}${at}`));
          else stack.push({ node: pair.value, path: at });
        }
      } else if (yaml.isSeq(node)) {
        node.items.forEach((item, i) => {
          stack.push({ node: item, path: step(path, i) });
        });
      }
    }
  }
  return { templates };
}

/** The templates a template key's value holds: a string, or a list of `{name, template}`. */
function valueTemplates(
  yaml: typeof Yaml,
  doc: Yaml.Document.Parsed,
  value: unknown,
  where: string,
): FoundTemplate[] {
  const node = yaml.isAlias(value) ? value.resolve(doc) : value;
  if (yaml.isScalar(node)) {
    return typeof node.value === "string" ? [{ where: `YAML key ${where}`, template: node.value }] : [];
  }
  if (!yaml.isSeq(node)) return [];
  const found: FoundTemplate[] = [];
  node.items.forEach((item, i) => {
    const entry = yaml.isAlias(item) ? item.resolve(doc) : item;
    if (!yaml.isMap(entry)) return;
    const held = entry.get("template", true);
    const template = yaml.isAlias(held) ? held.resolve(doc) : held;
    const name = entry.get("name");
    if (!yaml.isScalar(template) || typeof template.value !== "string") return;
    const label = typeof name === "string" ? JSON.stringify(name.slice(0, 80)) : String(i);
    found.push({ where: `YAML key ${where} ${label}`, template: template.value });
  });
  return found;
}
