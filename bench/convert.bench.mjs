// `modelgate convert` on big_checkpoint.pt (2 GB, 600 tensors, a PyTorch zip): time, throughput and
// peak memory of the restricted reconstruction streaming tensor bytes to a safetensors file.
import { mkdtemp, open, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { convertCheckpoints } from "@modelgate/convert";

const input = join(process.argv[2], "big_checkpoint.pt");
const outDir = await mkdtemp(join(process.env.MODELGATE_BENCH_TMP ?? tmpdir(), "modelgate-convert-bench-"));
/** What the disk allows: a plain read/write copy of the same file, 8 MiB at a time. */
async function plainCopySeconds(from, to) {
  const input = await open(from, "r");
  const output = await open(to, "w");
  const buf = Buffer.allocUnsafe(8 * 1024 * 1024);
  const t = performance.now();
  for (let pos = 0; ; ) {
    const { bytesRead } = await input.read(buf, 0, buf.length, pos);
    if (bytesRead === 0) break;
    await output.write(buf, 0, bytesRead, pos);
    pos += bytesRead;
  }
  await Promise.all([input.close(), output.close()]);
  await rm(to);
  return (performance.now() - t) / 1000;
}

try {
  const copySeconds = await plainCopySeconds(input, join(outDir, "plain-copy"));
  const t = performance.now();
  const [result] = await convertCheckpoints([input], { out: outDir });
  const seconds = (performance.now() - t) / 1000;
  // The plain copy above holds one 8 MiB buffer: the peak is the conversion's.
  const rssMB = process.resourceUsage().maxRSS / 1024;
  const written = (await stat(result.outputs[0])).size;
  const gb = result.bytes / 1e9;
  console.log(`input:                   ${input} (${((await stat(input)).size / 1e9).toFixed(2)} GB)`);
  console.log(
    `tensors written:         ${result.tensors} (${gb.toFixed(2)} GB of tensor data, file ${(written / 1e9).toFixed(2)} GB)`,
  );
  console.log(`wall time:               ${seconds.toFixed(2)} s`);
  console.log(
    `throughput:              ${(gb / seconds).toFixed(2)} GB/s (target >= 1 GB/s where the disk allows)`,
  );
  console.log(
    `plain file copy:         ${((await stat(input)).size / 1e9 / copySeconds).toFixed(2)} GB/s (read + write in 8 MiB blocks, just before: what the disk allows now)`,
  );
  console.log(`peak memory (RSS):       ${rssMB.toFixed(0)} MB (target < 200 MB)`);
} finally {
  await rm(outDir, { recursive: true, force: true });
}
