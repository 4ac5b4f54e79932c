import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../limits.js";
import type { Finding } from "../../report/types.js";
import type { ParseContext } from "../format-parser.js";
import { reportKerasV3 } from "./report-keras-v3.js";

function recordingContext() {
  const findings: Finding[] = [];
  const info: Record<string, unknown> = {};
  const ctx: ParseContext = {
    member: undefined,
    claims: undefined,
    name: undefined,
    depth: 0,
    limits: DEFAULT_LIMITS,
    finding: (f) => findings.push(f),
    pickle: () => {},
    text: () => {},
    tensorData: () => {},
    info: (k, v) => {
      info[k] = v;
    },
    scanMember: async () => "unknown",
  };
  return { ctx, findings, info };
}

const layer = (module: string, className: string, name: string, registered: string | null = null) => ({
  module,
  class_name: className,
  config: { name },
  registered_name: registered,
});

const model = (layers: unknown[]) =>
  JSON.stringify({
    module: "keras",
    class_name: "Sequential",
    config: { name: "seq", layers },
    registered_name: null,
  });

describe("Keras v3 (.keras) config.json", () => {
  it("accepts a model built from Keras layers and summarises it", () => {
    const { ctx, findings, info } = recordingContext();
    reportKerasV3(model([layer("keras.layers", "Dense", "d")]), '{"keras_version": "3.3.3"}', ctx);
    expect(findings).toEqual([]);
    expect(info).toEqual({ keras: { kerasVersion: "3.3.3", modelClass: "Sequential", objects: 2 } });
  });

  it("flags a layer whose module points outside Keras, naming the layer", () => {
    const { ctx, findings } = recordingContext();
    reportKerasV3(model([layer("evil.layers", "Backdoor", "bd", "evil>Backdoor")]), undefined, ctx);
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([
      ["keras/custom-module", "dangerous"],
      ["keras/custom-object", "dangerous"],
    ]);
    expect(findings[0]?.message).toMatch(/^config\.json: layer "seq\/bd"/);
  });

  it("flags a Lambda layer", () => {
    const { ctx, findings } = recordingContext();
    reportKerasV3(model([layer("keras.layers", "Lambda", "l")]), undefined, ctx);
    expect(findings.map((f) => f.rule)).toEqual(["keras/lambda-layer"]);
  });

  it("fails closed on a config.json that is not JSON", () => {
    const { ctx, findings } = recordingContext();
    reportKerasV3("{", undefined, ctx);
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([["keras/config-json", "error"]]);
  });
});
