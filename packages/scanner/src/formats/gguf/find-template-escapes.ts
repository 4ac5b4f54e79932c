import type * as Jinja from "@huggingface/jinja";

/** A sandbox-escape pattern found in a Jinja template. */
export interface TemplateIssue {
  rule: string;
  severity: "dangerous" | "suspicious" | "error";
  message: string;
}

/** Longest template parsed; real chat templates are a few KiB (CWE-400). */
export const MAX_TEMPLATE_CHARS = 1024 * 1024;

/** Syntax-tree nodes visited per template (CWE-770, CWE-835). */
export const MAX_TEMPLATE_NODES = 1_000_000;

/** A Python special attribute (`__class__`, `__globals__`, ...), or a piece of one being assembled. */
const DUNDER = /__[A-Za-z_]*__|^__[A-Za-z]|[A-Za-z]__$/;

/** Callables that reach the operating system or run code, when called from a template. */
const OS_CALLS = new Set([
  "popen",
  "system",
  "spawn",
  "spawnl",
  "execl",
  "execv",
  "execve",
  "exec",
  "eval",
  "compile",
  "Popen",
  "run",
  "check_output",
  "check_call",
  "getoutput",
  "import_module",
  "__import__",
  "open",
  "remove",
  "unlink",
  "rmtree",
]);

/**
 * Parses a Jinja template with @huggingface/jinja (https://github.com/huggingface/huggingface.js/tree/main/packages/jinja)
 * and walks its syntax tree for sandbox-escape patterns (SSTI): dunder attributes or names
 * (`x.__class__.__mro__`, `x['__globals__']`, `x|attr('__subclasses__')`, also spelled with escapes or
 * assembled from pieces) and calls of OS-reaching functions (`.popen(...)`, `.system(...)`) are
 * `dangerous`; an `attr` filter whose name is computed at render time is `suspicious`. A template
 * the parser rejects cannot be checked and is an `error`.
 */
export function findTemplateEscapes(jinja: typeof Jinja, template: string, where: string): TemplateIssue[] {
  const { parse, tokenize } = jinja;
  if (template.length > MAX_TEMPLATE_CHARS) {
    return [
      {
        rule: "gguf/template-too-large",
        severity: "error",
        message: `${where}: template of ${template.length} characters exceeds ${MAX_TEMPLATE_CHARS}; not checked`,
      },
    ];
  }
  let root: unknown;
  try {
    root = parse(tokenize(template));
  } catch (err) {
    return [
      {
        rule: "gguf/template-unparsed",
        severity: "error",
        message: `${where}: the template could not be parsed (${err instanceof Error ? err.message.slice(0, 200) : "?"}), so it was not checked`,
      },
    ];
  }
  const issues: TemplateIssue[] = [];
  const seen = new Set<string>();
  const add = (issue: TemplateIssue) => {
    if (seen.has(issue.message)) return;
    seen.add(issue.message);
    issues.push(issue);
  };
  const stack: unknown[] = [root];
  let visited = 0;
  while (stack.length > 0) {
    if (++visited > MAX_TEMPLATE_NODES) {
      add({
        rule: "gguf/template-too-large",
        severity: "error",
        message: `${where}: more than ${MAX_TEMPLATE_NODES} syntax nodes; not checked further`,
      });
      break;
    }
    const node = stack.pop();
    if (node instanceof Map) {
      for (const [k, v] of node) stack.push(k, v);
      continue;
    }
    if (typeof node !== "object" || node === null) continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    examine(node as Record<string, unknown>, where, add);
    for (const value of Object.values(node))
      if (typeof value === "object" && value !== null) stack.push(value);
  }
  return issues;
}

function examine(node: Record<string, unknown>, where: string, add: (issue: TemplateIssue) => void): void {
  if (node.type === "Identifier" && typeof node.value === "string" && DUNDER.test(node.value)) {
    add({
      rule: "gguf/template-dunder",
      severity: "dangerous",
      message: `${where}: the template uses ${q(node.value)}, a Python special name used to escape the Jinja sandbox`,
    });
  } else if (node.type === "StringLiteral" && typeof node.value === "string") {
    const value = decodeJinjaEscapes(node.value);
    if (DUNDER.test(value)) {
      add({
        rule: "gguf/template-dunder",
        severity: "dangerous",
        message: `${where}: the template holds the string ${q(value)}, a Python special name used to escape the Jinja sandbox`,
      });
    }
  } else if (node.type === "CallExpression") {
    const name = calleeName(node.callee);
    if (name !== undefined && OS_CALLS.has(name)) {
      add({
        rule: "gguf/template-os-call",
        severity: "dangerous",
        message: `${where}: the template calls ${q(name)}(...), which reaches the operating system or runs code`,
      });
    }
  } else if (node.type === "FilterExpression" || node.type === "FilterStatement") {
    const filter = node.filter as Record<string, unknown> | undefined;
    if (filter?.type === "CallExpression" && calleeName(filter.callee) === "attr") {
      const args = Array.isArray(filter.args) ? (filter.args as Record<string, unknown>[]) : [];
      if (args[0]?.type !== "StringLiteral") {
        add({
          rule: "gguf/template-computed-attr",
          severity: "suspicious",
          message: `${where}: the template reads an attribute whose name is computed at render time (attr filter)`,
        });
      }
    }
  }
}

/** The called name: `f` in `f(...)`, `popen` in `x.popen(...)` or `x['popen'](...)`. */
function calleeName(callee: unknown): string | undefined {
  if (typeof callee !== "object" || callee === null) return undefined;
  const c = callee as Record<string, unknown>;
  if (c.type === "Identifier" && typeof c.value === "string") return c.value;
  if (c.type === "MemberExpression") {
    const p = c.property as Record<string, unknown> | undefined;
    if ((p?.type === "Identifier" || p?.type === "StringLiteral") && typeof p.value === "string")
      return p.value;
  }
  return undefined;
}

/** Decodes `\xNN`, `\uNNNN` and `\UNNNNNNNN` escapes Python's Jinja applies to string literals. */
function decodeJinjaEscapes(s: string): string {
  return s.replace(
    /\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))/g,
    (match: string, x?: string, u?: string, U?: string) => {
      const code = Number.parseInt(x ?? u ?? U ?? "", 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : match;
    },
  );
}

function q(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}...` : s);
}
