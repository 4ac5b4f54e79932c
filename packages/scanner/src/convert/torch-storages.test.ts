import { describe, expect, it } from "vitest";
import type { PyValue } from "./py-values.js";
import { STORAGE_TYPES } from "./torch-dtypes.js";
import { TorchStorages } from "./torch-storages.js";

const floatStorage: PyValue = {
  kind: "storage-type",
  name: "FloatStorage",
  dtype: STORAGE_TYPES.FloatStorage as NonNullable<(typeof STORAGE_TYPES)["FloatStorage"]>,
};
const pid = (...items: PyValue[]): PyValue => ({ kind: "tuple", items });

describe("TorchStorages", () => {
  it("accepts a zip storage id and returns the same storage for the same key", () => {
    const s = new TorchStorages(false);
    const a = s.persistentLoad(pid("storage", floatStorage, "0", "cuda:0", 6));
    expect(a).toMatchObject({ kind: "storage", key: "0", nbytes: 24, byteOffset: 0 });
    expect(s.persistentLoad(pid("storage", floatStorage, "0", "cpu", 6))).toBe(a);
  });

  it("maps a legacy storage view (PyTorch < 0.4) to a byte range of its root", () => {
    const s = new TorchStorages(true);
    const view = s.persistentLoad(pid("storage", floatStorage, "140", "cpu", 10, pid("141", 2, 3)));
    expect(view).toMatchObject({ key: "140", nbytes: 12, byteOffset: 8 });
    expect(s.roots.get("140")).toMatchObject({ nbytes: 40 });
  });

  it("refuses a legacy view past its root, ids of the wrong shape, and non-storage ids", () => {
    const legacy = new TorchStorages(true);
    expect(() => legacy.persistentLoad(pid("storage", floatStorage, "1", "cpu", 4, pid("2", 2, 3)))).toThrow(
      /runs past the end/,
    );
    expect(() =>
      new TorchStorages(false).persistentLoad(pid("storage", floatStorage, "1", "cpu", 4, null)),
    ).toThrow(/6 parts, not 5/);
    expect(() => new TorchStorages(false).persistentLoad("storage")).toThrow(/not a storage tuple/);
    expect(() =>
      new TorchStorages(false).persistentLoad(pid("storage", "torch.FloatStorage", "1", "cpu", 4)),
    ).toThrow(/storage type is a string/);
  });
});
