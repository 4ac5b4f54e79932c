import { describe, expect, it } from "vitest";
import { scanBytes } from "./test-helpers/analyse-bytes.js";
import { wrap } from "./test-helpers/pickle-builder.js";

/**
 * One file per resolver and evaluator gadget family found by scripts/policy-audit: each pickle
 * calls the gadget with string arguments as a payload would, and is scanned end to end (format
 * detection, engine, policy), once as protocol 2 writes it (GLOBAL) and once as protocol 4 (STACK_GLOBAL).
 */
interface Gadget {
  family: string;
  module: string;
  name: string;
  args: string[];
}

const GADGETS: readonly Gadget[] = [
  // module + attribute name -> callable
  { family: "resolver", module: "pkgutil", name: "resolve_name", args: ["os:system"] },
  { family: "resolver", module: "pydoc", name: "locate", args: ["os.system"] },
  { family: "resolver", module: "numpy.core", name: "_ufunc_reconstruct", args: ["os", "system"] },
  {
    family: "resolver",
    module: "scipy._lib._uarray._backend",
    name: "unpickle_function",
    args: ["os", "system", ""],
  },
  {
    family: "resolver",
    module: "torch.nn.utils._deprecation_utils",
    name: "lazy_deprecated_import",
    args: ["system", "os", "os"],
  },
  { family: "resolver", module: "torch.ao", name: "__getattr__", args: ["quantization"] },
  { family: "resolver", module: "logging.config", name: "BaseConfigurator.resolve", args: ["os.system"] },
  { family: "resolver", module: "importlib.metadata", name: "EntryPoint", args: ["x", "os:system", "g"] },
  { family: "resolver", module: "enum", name: "IntEnum._convert_", args: ["E", "os"] },
  // annotation string -> value
  { family: "annotation", module: "typing", name: "get_type_hints", args: ["__import__('os').system('id')"] },
  { family: "annotation", module: "typing", name: "ForwardRef._evaluate", args: ["__import__('os')"] },
  { family: "annotation", module: "inspect", name: "get_annotations", args: ["x"] },
  // source text -> function
  { family: "source", module: "dataclasses", name: "make_dataclass", args: ["C", "x"] },
  {
    family: "source",
    module: "scipy._lib.decorator",
    name: "FunctionMaker.create",
    args: ["f()", "return 1"],
  },
  { family: "source", module: "dill._dill", name: "_create_function", args: ["code", "globals"] },
  {
    family: "source",
    module: "scipy.stats._distn_infrastructure",
    name: "rv_generic._attach_argparser_methods",
    args: ["x"],
  },
  // name of a method -> call on any object (methodcaller, attrgetter)
  { family: "method", module: "numpy.core.fromnumeric", name: "_wrapfunc", args: ["x", "tofile", "/tmp/x"] },
  { family: "method", module: "sklearn.metrics._scorer", name: "_cached_call", args: ["", "x", "fit"] },
  {
    family: "method",
    module: "torch.ao.sparsity.sparsifier.utils",
    name: "fqn_to_module",
    args: ["x", "__class__.__init__"],
  },
  { family: "method", module: "joblib.numpy_pickle", name: "NumpyArrayWrapper.read", args: ["x"] },
];

describe("resolver and evaluator gadgets are dangerous when a file calls them", () => {
  for (const g of GADGETS) {
    for (const protocol of [2, 4]) {
      it(`${g.family}: ${g.module}.${g.name} (protocol ${protocol})`, async () => {
        const bytes = wrap(protocol, (b) =>
          protocol >= 4
            ? b.callStackGlobal(g.module, g.name, ...g.args)
            : b.callGlobal(g.module, g.name, ...g.args),
        );
        const r = await scanBytes(bytes);
        expect(r.format).toBe("pickle");
        expect(r.verdict).toBe("dangerous");
        expect(r.imports.map((i) => `${i.module}.${i.name} ${i.safety}`)).toContain(
          `${g.module}.${g.name} dangerous`,
        );
      });
    }
  }
});
