import { FIXED_LIMITS } from "../limits.js";
import { ConvertError } from "./convert-error.js";
import { describeValue, type PyTensor, type PyValue } from "./py-values.js";

/**
 * `torch._utils._rebuild_tensor[_v2|_v3](storage, storage_offset, size, stride, ...)`: a view of a
 * storage. For v3 the dtype is an argument (new dtypes such as float8 come with untyped storages);
 * otherwise it is the storage's. The view must lie inside the storage, as `Tensor.set_` requires.
 */
export function rebuildTensor(
  args: readonly PyValue[],
  minArgs: number,
  maxArgs: number,
  dtypeArg: PyValue | undefined,
): PyTensor {
  if (args.length < minArgs || args.length > maxArgs) {
    throw bad(
      `it takes ${minArgs === maxArgs ? minArgs : `${minArgs} or ${maxArgs}`} arguments, not ${args.length}`,
    );
  }
  const [storage, offsetArg, sizeArg, strideArg] = args;
  if (
    storage === null ||
    typeof storage !== "object" ||
    storage === undefined ||
    storage.kind !== "storage"
  ) {
    throw bad(`its storage is ${storage === undefined ? "missing" : describeValue(storage)}`);
  }
  let dtype = storage.dtype;
  if (dtypeArg !== undefined) {
    if (dtypeArg === null || typeof dtypeArg !== "object" || dtypeArg.kind !== "dtype") {
      throw bad(`its dtype is ${describeValue(dtypeArg)}`);
    }
    dtype = dtypeArg.dtype;
  }
  const offset = nonNegativeInt(offsetArg, "storage offset");
  const shape = intList(sizeArg, "size");
  const strides = intList(strideArg, "stride");
  if (shape.length !== strides.length) {
    throw bad(`size has ${shape.length} dimensions but stride has ${strides.length}`);
  }
  let numel = 1;
  let last = offset;
  for (let i = 0; i < shape.length; i++) {
    const n = shape[i] as number;
    numel *= n;
    last += (n - 1) * (strides[i] as number);
  }
  if (numel > 0) {
    const end = (last + 1) * dtype.itemsize;
    if (!Number.isSafeInteger(end) || end > storage.nbytes) {
      throw new ConvertError(
        "convert/view-out-of-bounds",
        `a tensor view (offset ${offset}, size [${shape}], stride [${strides}], ${dtype.torch}) reaches byte ${end} of a storage of ${storage.nbytes} bytes`,
      );
    }
    const bytes = numel * dtype.itemsize;
    if (bytes > storage.nbytes && bytes > FIXED_LIMITS.maxExpandedViewBytes) {
      throw new ConvertError(
        "convert/view-too-large",
        `a tensor view of size [${shape}] would be written as ${bytes} bytes from a storage of ${storage.nbytes} bytes, more than the limit of ${FIXED_LIMITS.maxExpandedViewBytes} for expanded views`,
      );
    }
  }
  return { kind: "tensor", storage, dtype, offset, shape, strides };
}

function intList(value: PyValue | undefined, what: string): number[] {
  if (value === null || typeof value !== "object" || value === undefined)
    throw bad(`its ${what} is not a tuple`);
  if (value.kind !== "tuple" && value.kind !== "list") throw bad(`its ${what} is ${describeValue(value)}`);
  if (value.items.length > FIXED_LIMITS.maxTensorDims) {
    throw bad(
      `its ${what} has ${value.items.length} dimensions, more than the limit of ${FIXED_LIMITS.maxTensorDims}`,
    );
  }
  return value.items.map((v) => nonNegativeInt(v, what));
}

function nonNegativeInt(value: PyValue | undefined, what: string): number {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  throw bad(
    `its ${what} holds ${value === undefined ? "nothing" : typeof value === "number" ? value : describeValue(value)}, not a non-negative integer`,
  );
}

function bad(why: string): ConvertError {
  return new ConvertError(
    "convert/bad-arguments",
    `the checkpoint rebuilds a tensor with arguments PyTorch would not accept: ${why}`,
  );
}
