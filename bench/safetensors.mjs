// Benchmark: validates a sparse 2 GB safetensors file through a file-backed ByteSource and prints the
// time and bytes read. Only the header should be read, so this takes milliseconds, not seconds.
// Run after `npm run build`: `node bench/safetensors.mjs`.
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { CountingSource, scanSource } from "@modelgate/scanner";

const TENSORS = 64;
const TENSOR_BYTES = 32 * 1024 * 1024; // 64 x 32 MiB F32 tensors = 2 GiB of data

/** A ByteSource over an open file handle. */
function fileSource(handle, size) {
  return {
    size,
    async read(offset, length) {
      const buffer = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      return buffer.subarray(0, bytesRead);
    },
  };
}

const dir = await mkdtemp(join(tmpdir(), "modelgate-bench-"));
try {
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
  const size = prefix.length + TENSORS * TENSOR_BYTES;

  const path = join(dir, "model.safetensors");
  const handle = await open(path, "w+");
  try {
    await handle.write(prefix, 0, prefix.length, 0);
    await handle.truncate(size); // sparse: the data section takes no disk space
    const runs = [];
    let report;
    let counting;
    for (let run = 0; run < 5; run++) {
      counting = new CountingSource(fileSource(handle, size));
      const start = performance.now();
      report = await scanSource(counting, "model.safetensors");
      runs.push(performance.now() - start);
    }
    if (report.verdict !== "safe") throw new Error(`expected safe, got ${JSON.stringify(report.findings)}`);
    const ms = Math.min(...runs);
    console.log(
      JSON.stringify({
        bench: "safetensors-2GiB",
        fileBytes: size,
        bestMs: Number(ms.toFixed(2)),
        runsMs: runs.map((r) => Number(r.toFixed(2))),
        bytesRead: counting.bytesRead,
        reads: counting.reads,
        tensors: report.info?.tensors,
        parameters: report.info?.parameters,
      }),
    );
    if (ms > 1000) throw new Error(`too slow: ${ms} ms for a 2 GiB file`);
  } finally {
    await handle.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
