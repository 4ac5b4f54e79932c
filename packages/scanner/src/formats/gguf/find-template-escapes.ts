import type * as Jinja from "@huggingface/jinja";
import { FIXED_LIMITS } from "../../limits.js";

/** A sandbox-escape pattern found in a Jinja template. */
export interface TemplateIssue {
  rule: string;
  severity: "dangerous" | "suspicious" | "error";
  message: string;
}

/** The rule ids a template finding carries, per place templates live. */
export interface TemplateRules {
  readonly dunder: string;
  readonly osCall: string;
  readonly computedAttr: string;
  readonly tooLarge: string;
  readonly unparsed: string;
}

/** Rules for chat templates in GGUF metadata. */
export const GGUF_TEMPLATE_RULES: TemplateRules = {
  dunder: "gguf/template-dunder",
  osCall: "gguf/template-os-call",
  computedAttr: "gguf/template-computed-attr",
  tooLarge: "gguf/template-too-large",
  unparsed: "gguf/template-unparsed",
};

/** Rules for chat templates in text files (tokenizer and processor configs, template files). */
export const TEXT_TEMPLATE_RULES: TemplateRules = {
  dunder: "text/chat-template-dunder",
  osCall: "text/chat-template-os-call",
  computedAttr: "text/chat-template-computed-attr",
  tooLarge: "text/chat-template-too-large",
  unparsed: "text/chat-template-unparsed",
};

/** A Python special attribute (`__class__`, `__globals__`, ...) or name-mangled private one (`_TemplateReference__context`), or a piece of one being assembled. */
const DUNDER = /__[A-Za-z_]*__|^__[A-Za-z]|[A-Za-z]__$|^_[A-Za-z][A-Za-z0-9]*__[A-Za-z]/;

/** A private attribute name (`_TemplateReference__context`, `_module`), which Jinja's sandbox never serves. */
const PRIVATE = /^_/;

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
export function findTemplateEscapes(
  jinja: typeof Jinja,
  template: string,
  where: string,
  rules: TemplateRules = GGUF_TEMPLATE_RULES,
): TemplateIssue[] {
  const { parse, tokenize } = jinja;
  if (template.length > FIXED_LIMITS.maxTemplateChars) {
    return [
      {
        rule: rules.tooLarge,
        severity: "error",
        message: `${where}: template of ${template.length} characters exceeds ${FIXED_LIMITS.maxTemplateChars}; not checked`,
      },
    ];
  }
  let root: unknown;
  try {
    root = parse(tokenize(template));
  } catch (err) {
    return [
      {
        rule: rules.unparsed,
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
    if (++visited > FIXED_LIMITS.maxTemplateNodes) {
      add({
        rule: rules.tooLarge,
        severity: "error",
        message: `${where}: more than ${FIXED_LIMITS.maxTemplateNodes} syntax nodes; not checked further`,
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
    examine(node as Record<string, unknown>, where, rules, add);
    for (const value of Object.values(node))
      if (typeof value === "object" && value !== null) stack.push(value);
  }
  return issues;
}

function examine(
  node: Record<string, unknown>,
  where: string,
  rules: TemplateRules,
  add: (issue: TemplateIssue) => void,
): void {
  if (node.type === "Identifier" && typeof node.value === "string" && DUNDER.test(node.value)) {
    add({
      rule: rules.dunder,
      severity: "dangerous",
      message: `${where}: the template uses ${q(node.value)}, a Python special name used to escape the Jinja sandbox`,
    });
  } else if (node.type === "StringLiteral" && typeof node.value === "string") {
    const value = decodeJinjaEscapes(node.value);
    if (DUNDER.test(value)) {
      add({
        rule: rules.dunder,
        severity: "dangerous",
        message: `${where}: the template holds the string ${q(value)}, a Python special name used to escape the Jinja sandbox`,
      });
    }
  } else if (
    node.type === "BinaryExpression" ||
    node.type === "FilterExpression" ||
    node.type === "CallExpression"
  ) {
    // A string assembled from literals (`'_'*2 ~ 'class' ~ '_'*2`, `'{}{}'.format(...)`, `[...]|join`).
    const built = foldString(node, 0);
    if (built !== undefined && DUNDER.test(built)) {
      add({
        rule: rules.dunder,
        severity: "dangerous",
        message: `${where}: the template builds the string ${q(built)}, a Python special name used to escape the Jinja sandbox`,
      });
    }
  }
  if (node.type === "MemberExpression" && node.computed === false) {
    const prop = node.property as Record<string, unknown> | undefined;
    // The sandbox refuses every attribute starting with `_` (`self._TemplateReference__context`):
    // a working template never reads one, an escape attempt does.
    if (prop?.type === "Identifier" && typeof prop.value === "string" && PRIVATE.test(prop.value)) {
      if (!DUNDER.test(prop.value)) {
        add({
          rule: rules.dunder,
          severity: "dangerous",
          message: `${where}: the template reads ${q(prop.value)}, a private attribute the Jinja sandbox refuses, used to escape it`,
        });
      }
    }
  }
  if (node.type === "CallExpression") {
    const name = calleeName(node.callee);
    if (name !== undefined && OS_CALLS.has(name)) {
      add({
        rule: rules.osCall,
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
          rule: rules.computedAttr,
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
    if (p?.type === "Identifier" && typeof p.value === "string") return p.value;
    return foldString(p, 0);
  }
  return undefined;
}

/**
 * The string an expression always renders to when it is built from literals only (concatenation
 * with `+` or `~`, repetition, `%` and `format`, the `join`, `lower`, `upper`, `replace`, `reverse`
 * filters and methods), or undefined. How escapes are disguised: `'__cla' ~ 'ss__'`, `'_' * 2`,
 * `['_', '_', 'globals', '_', '_']|join`, `'%sclass%s'|format('__', '__')`.
 */
function foldString(node: unknown, depth: number): string | undefined {
  if (depth > FIXED_LIMITS.maxFoldDepth || typeof node !== "object" || node === null) return undefined;
  const n = node as Record<string, unknown>;
  const bounded = (s: string | undefined) =>
    s !== undefined && s.length <= FIXED_LIMITS.maxFoldedChars ? s : undefined;
  switch (n.type) {
    case "StringLiteral":
      return typeof n.value === "string" ? bounded(unescape(n.value)) : undefined;
    case "IntegerLiteral":
      return typeof n.value === "number" ? String(n.value) : undefined;
    case "BinaryExpression": {
      const op = (n.operator as { value?: unknown } | undefined)?.value;
      const left = foldString(n.left, depth + 1);
      if (op === "*") {
        const right = n.right as Record<string, unknown> | undefined;
        const times =
          right?.type === "IntegerLiteral" && typeof right.value === "number" ? right.value : undefined;
        if (
          left === undefined ||
          times === undefined ||
          times < 0 ||
          left.length * times > FIXED_LIMITS.maxFoldedChars
        ) {
          return undefined;
        }
        return left.repeat(times);
      }
      const right = foldString(n.right, depth + 1);
      if (left === undefined || right === undefined) return undefined;
      if (op === "+" || op === "~") return bounded(left + right);
      if (op === "%") return bounded(percentFormat(left, [right]));
      return undefined;
    }
    case "FilterExpression": {
      const filter = n.filter as Record<string, unknown> | undefined;
      const name = filter?.type === "Identifier" ? filter.value : calleeName(filter?.callee);
      const args = filter?.type === "CallExpression" && Array.isArray(filter.args) ? filter.args : [];
      return bounded(applyStringOp(n.operand, String(name), args, depth));
    }
    case "CallExpression": {
      const callee = n.callee as Record<string, unknown> | undefined;
      const prop = callee?.property as Record<string, unknown> | undefined;
      if (callee?.type !== "MemberExpression" || prop?.type !== "Identifier") return undefined;
      const args = Array.isArray(n.args) ? n.args : [];
      return bounded(applyStringOp(callee.object, String(prop.value), args, depth));
    }
    default:
      return undefined;
  }
}

/** A string filter or method (`x|join`, `x.format(...)`) applied to a folded operand. */
function applyStringOp(operand: unknown, name: string, args: unknown[], depth: number): string | undefined {
  const folded = args.map((a) => foldString(a, depth + 1));
  if (folded.some((a) => a === undefined)) return undefined;
  const values = folded as string[];
  if (name === "join") {
    // `[...]|join(sep)`: the items are the operand.
    const items = (operand as { type?: unknown; value?: unknown } | undefined)?.value;
    if (Array.isArray(items)) {
      const parts = items.map((i) => foldString(i, depth + 1));
      if (parts.some((p) => p === undefined)) return undefined;
      return parts.join(values[0] ?? "");
    }
    // `'sep'.join([...])`: the separator is the operand, the items the argument.
    const sep = foldString(operand, depth + 1);
    const list = (args[0] as { value?: unknown } | undefined)?.value;
    if (sep === undefined || !Array.isArray(list)) return undefined;
    const parts = list.map((i) => foldString(i, depth + 1));
    return parts.some((p) => p === undefined) ? undefined : parts.join(sep);
  }
  const base = foldString(operand, depth + 1);
  if (base === undefined) return undefined;
  switch (name) {
    case "lower":
      return base.toLowerCase();
    case "upper":
      return base.toUpperCase();
    case "reverse":
      return [...base].reverse().join("");
    case "replace":
      return values.length >= 2 ? base.split(values[0] as string).join(values[1] as string) : undefined;
    case "format":
      return base.includes("{") ? braceFormat(base, values) : percentFormat(base, values);
    default:
      return undefined;
  }
}

/** Python's `'%s' % x` for `%s` placeholders. */
function percentFormat(template: string, values: readonly string[]): string {
  let i = 0;
  return template.replace(/%s/g, () => values[i++] ?? "");
}

/** Python's `'{}'.format(x)` for `{}` and `{0}` placeholders. */
function braceFormat(template: string, values: readonly string[]): string {
  let i = 0;
  return template.replace(
    /\{(\d*)\}/g,
    (_m, index: string) => values[index === "" ? i++ : Number(index)] ?? "",
  );
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
