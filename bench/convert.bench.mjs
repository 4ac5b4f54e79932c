// `modelgate convert` on big_checkpoint.pt (2 GB, 600 tensors, a PyTorch zip): time, throughput and
// peak memory of the restricted reconstruction streaming tensor bytes to a safetensors file.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { convertCheckpoints } from "@modelgate/convert";

const input = join(process.argv[2], "big_checkpoint.pt");
const outDir = await mkdtemp(join(process.env.MODELGATE_BENCH_TMP ?? tmpdir(), "modelgate-convert-bench-"));
try {
  const t = performance.now();
  const [result] = await convertCheckpoints([input], { out: outDir });
  const seconds = (performance.now() - t) / 1000;
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
  console.log(`peak memory (RSS):       ${rssMB.toFixed(0)} MB (target < 200 MB)`);
} finally {
  await rm(outDir, { recursive: true, force: true });
}
