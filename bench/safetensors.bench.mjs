// safetensors: a 2 GiB file (sparse, made here in a temp folder) must validate from its header
// alone, in well under a second. Scanned in process through @modelgate/node's FileSource, with a
// CountingSource around it for the bytes read. Exits non-zero if it takes a second or more.
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSource } from "@modelgate/node";
import { CountingSource, scanSource } from "@modelgate/scanner";

const TENSORS = 64;
const TENSOR_BYTES = 32 * 1024 * 1024; // 64 x 32 MiB of F32 = 2 GiB of data
const RUNS = 5;

/** Writes the header, then extends the file to its full size without writing the data. */
async function writeSparseSafetensors(path) {
  const header = { __metadata__: { format: "pt" } };
  for (let i = 0; i < TENSORS; i++) {
    header[`layers.${i}.weight`] = {
      dtype: "F32",
      shape: [TENSOR_BYTES / 4 / 1024, 1024],
      data_offsets: [i * TENSOR_BYTES, (i + 1) * TENSOR_BYTES],
    };
  }
  let text = JSON.stringify(header);
  while ((8 + text.length) % 8 !== 0) text += " ";
  const prefix = new Uint8Array(8 + text.length);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(text.length), true);
  prefix.set(new TextEncoder().encode(text), 8);
  const handle = await open(path, "w");
  try {
    await handle.write(prefix, 0, prefix.length, 0);
    await handle.truncate(prefix.length + TENSORS * TENSOR_BYTES);
  } finally {
    await handle.close();
  }
}

const dir = await mkdtemp(join(tmpdir(), "modelgate-bench-"));
try {
  const path = join(dir, "model.safetensors");
  await writeSparseSafetensors(path);
  const file = await FileSource.open(path);
  try {
    const times = [];
    let report;
    let counting;
    for (let run = 0; run < RUNS; run++) {
      counting = new CountingSource(file);
      const start = performance.now();
      report = await scanSource(counting, "model.safetensors");
      times.push(performance.now() - start);
    }
    const best = Math.min(...times);
    console.log(
      `model.safetensors:       ${(file.size / 2 ** 30).toFixed(2)} GiB, ${report.info?.tensors} tensors, verdict ${report.verdict}`,
    );
    console.log(`  bytes read:            ${counting.bytesRead} in ${counting.reads} reads`);
    console.log(
      `  scan in process:       ${best.toFixed(2)} ms best of ${RUNS} (reference: well under 1000 ms)`,
    );
    if (report.verdict !== "safe") throw new Error(`expected safe: ${JSON.stringify(report.findings)}`);
    if (best >= 1000) throw new Error(`too slow: ${best} ms`);
  } finally {
    await file.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
