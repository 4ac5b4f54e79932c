import { describe, expect, it } from "vitest";
import { FIXED_LIMITS } from "../../limits.js";
import { walkKerasConfig } from "./walk-keras-config.js";

const dense = (name: string) => ({ class_name: "Dense", config: { name, units: 2, activation: "relu" } });
const sequential = (name: string, layers: unknown[]) => ({
  class_name: "Sequential",
  config: { name, layers },
});
const lambda = (name: string) => ({
  class_name: "Lambda",
  config: { name, function: ["4wEAAAAA...", null, null], function_type: "lambda", module: "__main__" },
});

/** A Keras 3 `config.json` object. */
const v3 = (module: string, className: string, config: object, registered: string | null = null) => ({
  module,
  class_name: className,
  config,
  registered_name: registered,
});

describe("walkKerasConfig", () => {
  it("accepts a legacy Sequential model and counts its objects", () => {
    const { issues, summary } = walkKerasConfig(sequential("seq", [dense("a"), dense("b")]));
    expect(issues).toEqual([]);
    expect(summary).toEqual({ modelClass: "Sequential", objects: 3 });
  });

  it("accepts a Keras 3 config.json whose objects all come from Keras", () => {
    const config = v3("keras", "Sequential", {
      name: "seq",
      layers: [
        v3("keras.layers", "InputLayer", { name: "in", batch_shape: [null, 4] }),
        v3("keras.layers", "Dense", {
          name: "d",
          kernel_initializer: v3("keras.initializers", "GlorotUniform", { seed: null }),
          dtype: v3("keras", "DTypePolicy", { name: "float32" }),
        }),
      ],
    });
    expect(walkKerasConfig(config).issues).toEqual([]);
  });

  it("flags a Lambda layer (marshalled bytecode) and names it", () => {
    const { issues } = walkKerasConfig(sequential("seq", [dense("a"), lambda("evil")]));
    expect(issues).toEqual([
      {
        rule: "keras/lambda-layer",
        severity: "dangerous",
        layerPath: "seq/evil",
        message:
          'layer "seq/evil" is a Lambda layer: marshalled Python bytecode, which runs when the model is loaded or called',
      },
    ]);
  });

  it("flags a Lambda layer calling a named Python function", () => {
    const layer = {
      class_name: "Lambda",
      config: { name: "f", function: "system", function_type: "function", module: "os" },
    };
    const { issues } = walkKerasConfig(sequential("seq", [layer]));
    expect(issues[0]?.message).toContain("Python function os.system");
  });

  it("finds a Lambda layer hidden in a nested model inside a wrapper", () => {
    const inner = {
      class_name: "Functional",
      config: { name: "inner", layers: [dense("x"), lambda("deep")] },
    };
    const wrapper = { class_name: "TimeDistributed", config: { name: "td", layer: inner } };
    const { issues } = walkKerasConfig(sequential("outer", [dense("a"), wrapper]));
    expect(issues.map((i) => [i.rule, i.layerPath])).toEqual([["keras/lambda-layer", "outer/td/inner/deep"]]);
  });

  it("flags a Keras 3 __lambda__ function used as an activation", () => {
    const act = v3("builtins", "__lambda__", { code: "4wEAAAAA", defaults: null, closure: null });
    const layer = v3("keras.layers", "Dense", { name: "d", activation: act });
    const rules = walkKerasConfig(v3("keras", "Sequential", { name: "s", layers: [layer] })).issues.map(
      (i) => i.rule,
    );
    expect(rules).toContain("keras/lambda-function");
  });

  it("flags an object from a module outside Keras, and its registered name", () => {
    const layer = v3("evil_pkg.layers", "Backdoor", { name: "b" }, "evil_pkg>Backdoor");
    const { issues } = walkKerasConfig(v3("keras", "Sequential", { name: "s", layers: [layer] }));
    expect(issues.map((i) => [i.rule, i.severity, i.layerPath])).toEqual([
      ["keras/custom-module", "dangerous", "s/b"],
      ["keras/custom-object", "dangerous", "s/b"],
    ]);
    expect(issues[0]?.message).toContain('module "evil_pkg.layers"');
  });

  it("flags a custom loss function from __main__ in a training config", () => {
    const training = { loss: v3("__main__", "my_loss", {}, "my_loss"), optimizer_config: {} };
    expect(walkKerasConfig(training).issues.map((i) => i.rule)).toEqual(["keras/custom-module"]);
  });

  it("flags a TFOpLambda layer that writes files, not one that adds", () => {
    const write = { class_name: "TFOpLambda", config: { name: "w", function: "io.write_file" } };
    const add = { class_name: "TFOpLambda", config: { name: "a", function: "math.add" } };
    const { issues } = walkKerasConfig(sequential("s", [add, write]));
    expect(issues.map((i) => [i.rule, i.layerPath])).toEqual([["keras/tf-op-lambda", "s/w"]]);
  });

  it(`walks a config nested ${FIXED_LIMITS.maxKerasConfigDepth} levels, rejects one level deeper`, () => {
    const nest = (levels: number) => {
      let v: unknown = { class_name: "Lambda" };
      for (let i = 0; i < levels; i++) v = [v];
      return v;
    };
    expect(walkKerasConfig(nest(FIXED_LIMITS.maxKerasConfigDepth)).issues.map((i) => i.rule)).toEqual([
      "keras/lambda-layer",
    ]);
    expect(walkKerasConfig(nest(FIXED_LIMITS.maxKerasConfigDepth + 1)).issues.map((i) => i.rule)).toEqual([
      "keras/config-too-deep",
    ]);
  });

  it(`walks ${FIXED_LIMITS.maxKerasConfigNodes} values, rejects one more`, () => {
    expect(walkKerasConfig(new Array(FIXED_LIMITS.maxKerasConfigNodes - 1).fill(0)).issues).toEqual([]);
    expect(
      walkKerasConfig(new Array(FIXED_LIMITS.maxKerasConfigNodes).fill(0)).issues.map((i) => i.rule),
    ).toEqual(["keras/config-too-large"]);
  });
});
