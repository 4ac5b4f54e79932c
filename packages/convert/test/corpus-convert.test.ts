// Acceptance over the shared labelled corpus (../shared/corpus/dev beside the repository, present in
// CI): every benign PyTorch checkpoint converts to a valid safetensors file, every malicious one is
// refused with nothing written. Skipped when the corpus is absent.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ConvertError } from "@modelgate/scanner";
import { afterAll, describe, expect, it } from "vitest";
import { readSafetensorsStrict } from "../../scanner/src/convert/test-helpers/read-safetensors-strict.js";
import { convertCheckpoints } from "../src/convert-checkpoints.js";

// MODELGATE_CORPUS overrides the location (a worktree that is not beside shared/).
const corpus = process.env.MODELGATE_CORPUS ?? resolve(__dirname, "../../../../shared/corpus/dev");
const manifestPath = join(corpus, "manifest.json");

interface ManifestEntry {
  path: string;
  label: "malicious" | "benign";
}

const entries: ManifestEntry[] = existsSync(manifestPath)
  ? (JSON.parse(readFileSync(manifestPath, "utf8")).files as ManifestEntry[]).filter((f) =>
      f.path.startsWith("torch/"),
    )
  : [];
const out = mkdtempSync(join(tmpdir(), "modelgate-corpus-convert-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.skipIf(entries.length === 0)("shared corpus: modelgate convert on PyTorch checkpoints", () => {
  it.each(entries.map((e) => [e.path, e.label] as const))("%s (%s)", async (path, label) => {
    const dir = mkdtempSync(join(out, "case-"));
    const converting = convertCheckpoints([join(corpus, path)], { out: dir });
    if (label === "malicious") {
      const error = await converting.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConvertError);
      expect((error as ConvertError).code).toBe("convert/not-safe");
      expect(readdirSync(dir)).toEqual([]);
      return;
    }
    const [result] = await converting;
    const file = readSafetensorsStrict(new Uint8Array(readFileSync(result?.outputs[0] ?? "")));
    expect(file.metadata.format).toBe("pt");
    expect(file.tensors.size).toBe(result?.tensors);
  });

  it("writes the same file from the zip and the legacy save of one state dict", async () => {
    const [zip] = await convertCheckpoints([join(corpus, "torch/state_dict.pt")], {
      out: mkdtempSync(join(out, "z-")),
    });
    const [legacy] = await convertCheckpoints([join(corpus, "torch/legacy_state_dict.pt")], {
      out: mkdtempSync(join(out, "l-")),
    });
    expect(readFileSync(zip?.outputs[0] ?? "")).toEqual(readFileSync(legacy?.outputs[0] ?? ""));
  });

  it("converts torchvision's resnet18 (122 tensors, batch-norm counters as I64 scalars)", async () => {
    const [r] = await convertCheckpoints([join(corpus, "torch/resnet18_state_dict.pth")], {
      out: mkdtempSync(join(out, "r-")),
    });
    const file = readSafetensorsStrict(new Uint8Array(readFileSync(r?.outputs[0] ?? "")));
    expect(file.tensors.size).toBe(122);
    expect(file.tensors.get("conv1.weight")).toMatchObject({ dtype: "F32", shape: [64, 3, 7, 7] });
    expect(file.tensors.get("bn1.num_batches_tracked")).toMatchObject({ dtype: "I64", shape: [] });
  });
});
