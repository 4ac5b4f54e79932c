import { FIXED_LIMITS } from "../../limits.js";

/** What the walk found: a rule id (`keras/<rule>`), how bad, and which layer. */
export interface KerasConfigIssue {
  rule: string;
  severity: "dangerous" | "suspicious" | "error";
  message: string;
  /** Names of the enclosing layers/models, outermost first (`sequential/encoder/lambda`). */
  layerPath: string;
}

/** Counts for the report summary. */
export interface KerasConfigSummary {
  modelClass: string | undefined;
  /** Objects with a `class_name` (layers, initializers, ...), nested models included. */
  objects: number;
}

/**
 * Modules whose objects Keras may deserialize without running third-party code. Anything else in
 * a `module` field makes Keras import that module (or the user's registered code) at load time.
 */
const KERAS_MODULE =
  /^(keras|tf_keras|keras_hub|keras_nlp|keras_cv|tensorflow\.keras|tensorflow\.python\.keras)(\.|$)/;

/** TensorFlow op prefixes that touch files or run Python when a `TFOpLambda` layer calls them. */
const TF_OP_DANGEROUS =
  /^(io\.|compat\.v1\.io\.|py_function|numpy_function|compat\.v1\.py_func|debugging\.experimental)/;

interface Frame {
  value: unknown;
  path: string;
  depth: number;
  inLambda: boolean;
}

/**
 * Walks a Keras model config (the legacy HDF5 `model_config`, or a v3 `.keras` file's
 * `config.json`) over its whole tree, nested models, wrappers and functions included, and reports
 * what would run code when loaded: `Lambda` layers (marshalled Python bytecode or a named Python
 * function), Keras 3 `__lambda__` functions, objects from modules outside Keras, `registered_name`s
 * of custom packages, and `TFOpLambda` calls to file or Python ops. Iterative and bounded.
 */
export function walkKerasConfig(config: unknown): {
  issues: KerasConfigIssue[];
  summary: KerasConfigSummary;
} {
  const issues: KerasConfigIssue[] = [];
  const summary: KerasConfigSummary = {
    modelClass: isObject(config) && typeof config.class_name === "string" ? config.class_name : undefined,
    objects: 0,
  };
  const stack: Frame[] = [{ value: config, path: "", depth: 0, inLambda: false }];
  let visited = 0;
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if (++visited > FIXED_LIMITS.maxKerasConfigNodes) {
      issues.push({
        rule: "keras/config-too-large",
        severity: "error",
        message: `the model config has more than ${FIXED_LIMITS.maxKerasConfigNodes} values; not analysed further`,
        layerPath: frame.path,
      });
      break;
    }
    const { value, depth } = frame;
    if (typeof value !== "object" || value === null) continue;
    if (depth > FIXED_LIMITS.maxKerasConfigDepth) {
      issues.push({
        rule: "keras/config-too-deep",
        severity: "error",
        message: `the model config nests deeper than ${FIXED_LIMITS.maxKerasConfigDepth} levels; not analysed further`,
        layerPath: frame.path,
      });
      break;
    }
    let { path, inLambda } = frame;
    if (!Array.isArray(value)) {
      const obj = value as Record<string, unknown>;
      if (typeof obj.class_name === "string") {
        summary.objects++;
        const name = layerName(obj);
        if (name !== undefined) path = path ? `${path}/${name}` : name;
        inLambda = checkObject(obj, path, inLambda, issues);
      }
    }
    const children = Array.isArray(value) ? value : Object.values(value);
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ value: children[i], path, depth: depth + 1, inLambda });
    }
  }
  return { issues, summary };
}

/** Reports what one `{class_name, config, module, registered_name}` object does; true inside a Lambda. */
function checkObject(
  obj: Record<string, unknown>,
  path: string,
  inLambda: boolean,
  issues: KerasConfigIssue[],
): boolean {
  const className = obj.class_name as string;
  const config = isObject(obj.config) ? obj.config : {};
  const where = path ? `layer ${JSON.stringify(path)}` : "the model";
  if (className === "Lambda") {
    issues.push({
      rule: "keras/lambda-layer",
      severity: "dangerous",
      message: `${where} is a Lambda layer: ${describeLambda(config)}, which runs when the model is loaded or called`,
      layerPath: path,
    });
    return true;
  }
  if (className === "__lambda__" && !inLambda) {
    issues.push({
      rule: "keras/lambda-function",
      severity: "dangerous",
      message: `${where} holds a serialized Python lambda (marshalled bytecode)`,
      layerPath: path,
    });
  }
  if (
    className === "TFOpLambda" &&
    typeof config.function === "string" &&
    TF_OP_DANGEROUS.test(config.function)
  ) {
    issues.push({
      rule: "keras/tf-op-lambda",
      severity: "dangerous",
      message: `${where} calls TensorFlow op tf.${short(config.function)}, which reads/writes files or runs Python`,
      layerPath: path,
    });
  }
  if (typeof obj.module === "string" && !KERAS_MODULE.test(obj.module) && !inLambda) {
    issues.push({
      rule: "keras/custom-module",
      severity: "dangerous",
      message: `${where}: ${className} comes from module ${JSON.stringify(short(obj.module))}, outside Keras; loading it imports that module's code`,
      layerPath: path,
    });
  }
  const registered = obj.registered_name;
  if (typeof registered === "string" && registered.includes(">")) {
    const pkg = registered.slice(0, registered.indexOf(">"));
    if (!KERAS_MODULE.test(pkg)) {
      issues.push({
        rule: "keras/custom-object",
        severity: "dangerous",
        message: `${where}: registered custom object ${JSON.stringify(short(registered))} from package ${JSON.stringify(short(pkg))}, outside Keras`,
        layerPath: path,
      });
    }
  }
  return inLambda;
}

/** What a Lambda layer's `function` field holds, in words. */
function describeLambda(config: Record<string, unknown>): string {
  const fn = config.function;
  const type = config.function_type;
  if (type === "lambda" || Array.isArray(fn) || (typeof fn === "string" && type !== "function")) {
    return "marshalled Python bytecode";
  }
  if (isObject(fn) && fn.class_name === "__lambda__") return "marshalled Python bytecode";
  const module = typeof config.module === "string" ? `${short(config.module)}.` : "";
  if (typeof fn === "string") return `Python function ${module}${short(fn)}`;
  return "a Python function";
}

function layerName(obj: Record<string, unknown>): string | undefined {
  const config = obj.config;
  if (isObject(config) && typeof config.name === "string") return short(config.name);
  return typeof obj.name === "string" ? short(obj.name) : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A name cut short for messages, so a hostile config cannot flood the report. */
function short(s: string): string {
  return s.length > 120 ? `${s.slice(0, 120)}...` : s;
}
