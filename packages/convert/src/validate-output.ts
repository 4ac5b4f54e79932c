import type { FileHandle } from "node:fs/promises";
import { FileSource } from "@modelgate/node";
import { type SafetensorsPlan, scanSource } from "@modelgate/scanner";

/**
 * Checks a written file before it takes its final name: its size and header are exactly the plan's
 * (no short write), and the project's own safetensors validator finds it a valid safetensors file.
 * Throws with what is wrong. `name` is the final name, for messages.
 */
export async function validateOutput(
  temp: string,
  name: string,
  handle: FileHandle,
  plan: SafetensorsPlan,
): Promise<void> {
  const { size } = await handle.stat();
  if (size !== plan.fileBytes) throw new Error(`${name}: wrote ${size} bytes, expected ${plan.fileBytes}`);
  const header = Buffer.alloc(plan.header.length);
  await handle.read(header, 0, header.length, 0);
  if (!header.equals(plan.header)) throw new Error(`${name}: the header on disk is not the one written`);
  const source = await FileSource.open(temp);
  try {
    // Format validation only: the input was scanned before conversion.
    const report = await scanSource(source, name, { checks: [] });
    if (report.format !== "safetensors" || report.verdict !== "safe") {
      const why = report.findings.map((f) => f.message).join("; ") || `detected as ${report.format}`;
      throw new Error(`${name}: the safetensors validator rejects the output (${report.verdict}): ${why}`);
    }
  } finally {
    await source.close();
  }
}
