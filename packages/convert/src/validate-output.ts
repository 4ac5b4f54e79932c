import type { FileHandle } from "node:fs/promises";
import { FileSource } from "@modelgate/node";
import { DEFAULT_PARSERS, type SafetensorsPlan, scanSource } from "@modelgate/scanner";

/**
 * Checks a written file before it takes its final name: its size and header are exactly the plan's
 * (no short write), and the project's own safetensors validator finds it valid and safe.
 * Throws with what is wrong.
 */
export async function validateOutput(path: string, handle: FileHandle, plan: SafetensorsPlan): Promise<void> {
  const { size } = await handle.stat();
  if (size !== plan.fileBytes) throw new Error(`${path}: wrote ${size} bytes, expected ${plan.fileBytes}`);
  const header = Buffer.alloc(plan.header.length);
  await handle.read(header, 0, header.length, 0);
  if (!header.equals(plan.header)) throw new Error(`${path}: the header on disk is not the one written`);
  if (!DEFAULT_PARSERS.some((p) => p.id === "safetensors")) return;
  const source = await FileSource.open(path);
  try {
    const report = await scanSource(source, path);
    if (report.format !== "safetensors" || report.verdict !== "safe") {
      const why = report.findings.map((f) => f.message).join("; ") || `detected as ${report.format}`;
      throw new Error(`${path}: the safetensors validator rejects the output (${report.verdict}): ${why}`);
    }
  } finally {
    await source.close();
  }
}
