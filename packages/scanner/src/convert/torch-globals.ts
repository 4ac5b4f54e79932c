import { fixImport } from "../pickle/fix-imports.js";
import { ConvertError } from "./convert-error.js";
import {
  describeValue,
  dictSet,
  newDict,
  type PyCallable,
  type PyTensor,
  type PyValue,
} from "./py-values.js";
import { rebuildTensor } from "./rebuild-tensor.js";
import { storageType, torchDtype } from "./torch-dtypes.js";

/** The callables a tensor checkpoint needs, by `module.name`; nothing else is ever called. */
const CALLABLES = new Set([
  "torch._utils._rebuild_tensor",
  "torch._utils._rebuild_tensor_v2",
  "torch._utils._rebuild_tensor_v3",
  "torch._utils._rebuild_parameter",
  "torch._utils._rebuild_parameter_with_state",
  "collections.OrderedDict",
  "torch.Size",
  "builtins.set",
  "builtins.frozenset",
  "_codecs.encode",
]);

/**
 * What `GLOBAL module name` gives in the restricted unpickler: one of the allowed callables, a
 * storage class or a dtype of `torch`. Any other name refuses the conversion, naming it.
 * Python 2 names are mapped first, as `pickle.Unpickler(fix_imports=True)` does.
 */
export function resolveGlobal(module: string, name: string, protocol: number): PyValue {
  let [mod, nm] = [module, name];
  if (protocol < 3) {
    const fixed = fixImport(module, name);
    if (fixed) [mod, nm] = fixed;
  }
  const dotted = `${mod}.${nm}`;
  if (CALLABLES.has(dotted)) return { kind: "callable", module: mod, name: nm };
  if (mod === "torch") {
    const storage = storageType(nm);
    if (storage) return { kind: "storage-type", name: nm, dtype: storage };
    const dtype = torchDtype(nm);
    if (dtype) return { kind: "dtype", name: nm, dtype };
  }
  throw new ConvertError(
    "convert/forbidden-global",
    `the checkpoint imports ${dotted}, which a tensor checkpoint does not need; refusing to convert it`,
  );
}

/** Calls one of the allowed callables (REDUCE). Arguments are checked as strictly as PyTorch does. */
export function callGlobal(callee: PyValue, args: PyValue): PyValue {
  if (callee === null || typeof callee !== "object" || callee.kind !== "callable") {
    throw new ConvertError(
      "convert/forbidden-call",
      `the checkpoint calls ${describeValue(callee)}, which is not a callable a tensor checkpoint needs`,
    );
  }
  if (args === null || typeof args !== "object" || args.kind !== "tuple") {
    throw badArgs(callee, "its arguments are not a tuple");
  }
  const a = args.items;
  switch (`${callee.module}.${callee.name}`) {
    case "torch._utils._rebuild_tensor":
      return rebuildTensor(a, 4, 4, undefined);
    case "torch._utils._rebuild_tensor_v2":
      return rebuildTensor(a, 6, 7, undefined);
    case "torch._utils._rebuild_tensor_v3":
      return rebuildTensor(a, 7, 8, a[6]);
    case "torch._utils._rebuild_parameter":
    case "torch._utils._rebuild_parameter_with_state": {
      const want = callee.name === "_rebuild_parameter" ? 3 : 4;
      if (a.length !== want) throw badArgs(callee, `it takes ${want} arguments, not ${a.length}`);
      return asTensor(a[0], callee);
    }
    case "collections.OrderedDict":
      return orderedDict(a, callee);
    case "torch.Size":
    case "builtins.set":
    case "builtins.frozenset": {
      if (a.length > 1) throw badArgs(callee, `it takes at most 1 argument, not ${a.length}`);
      const items = a.length === 0 ? [] : sequenceItems(a[0], callee);
      return callee.name === "Size" ? { kind: "tuple", items } : { kind: "set", items: [...items] };
    }
    case "_codecs.encode":
      return encodeLatin1(a, callee);
    default:
      throw badArgs(callee, "it is not implemented");
  }
}

function asTensor(value: PyValue | undefined, callee: PyCallable): PyTensor {
  if (value === null || typeof value !== "object" || value === undefined || value.kind !== "tensor") {
    throw badArgs(
      callee,
      `its data is ${value === undefined ? "missing" : describeValue(value)}, not a tensor`,
    );
  }
  return value;
}

function orderedDict(a: readonly PyValue[], callee: PyCallable): PyValue {
  if (a.length > 1) throw badArgs(callee, `it takes at most 1 argument, not ${a.length}`);
  const dict = newDict();
  if (a.length === 0) return dict;
  for (const pair of sequenceItems(a[0], callee)) {
    if (pair === null || typeof pair !== "object" || (pair.kind !== "tuple" && pair.kind !== "list")) {
      throw badArgs(callee, "its items are not pairs");
    }
    if (pair.items.length !== 2) throw badArgs(callee, "its items are not pairs");
    dictSet(dict, pair.items[0] as PyValue, pair.items[1] as PyValue);
  }
  return dict;
}

function sequenceItems(value: PyValue | undefined, callee: PyCallable): readonly PyValue[] {
  if (value !== null && typeof value === "object" && value !== undefined) {
    if (value.kind === "tuple" || value.kind === "list" || value.kind === "set") return value.items;
    if (value.kind === "dict") return value.keys;
  }
  throw badArgs(callee, `its argument is ${value === undefined ? "missing" : describeValue(value)}`);
}

/** `_codecs.encode(text, "latin1")`: how protocol-2 pickles written by Python 3 store bytes. */
function encodeLatin1(a: readonly PyValue[], callee: PyCallable): PyValue {
  const [text, encoding] = a;
  if (a.length !== 2 || typeof text !== "string" || (encoding !== "latin1" && encoding !== "latin-1")) {
    throw badArgs(callee, "only _codecs.encode(str, 'latin1'), as pickle writes bytes, is accepted");
  }
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) throw badArgs(callee, "its text is not latin-1");
    bytes[i] = code;
  }
  return { kind: "bytes", bytes };
}

export function badArgs(callee: PyCallable, why: string): ConvertError {
  return new ConvertError(
    "convert/bad-arguments",
    `the checkpoint calls ${callee.module}.${callee.name} with arguments PyTorch would not accept: ${why}`,
  );
}
