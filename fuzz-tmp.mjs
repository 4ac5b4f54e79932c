import { readFileSync } from "node:fs";
import { MemorySource, scanSource } from "@modelgate/scanner";

const base = new Uint8Array(readFileSync("/work/shared/corpus/dev/keras/lambda_layer.h5"));
let x = 12345;
const rnd = (n) => {
  x = (x * 1103515245 + 12345) >>> 0;
  return x % n;
};
const byFormat = {};
for (let i = 0; i < 3000; i++) {
  const b = base.slice();
  const k = 1 + rnd(8);
  const changed = [];
  for (let j = 0; j < k; j++) {
    const at = rnd(0x1e00);
    b[at] = rnd(256);
    changed.push(at);
  }
  const r = await scanSource(new MemorySource(b), "f.h5");
  if (r.verdict !== "safe") continue;
  const key = r.format;
  byFormat[key] = (byFormat[key] ?? 0) + 1;
  if (byFormat[key] <= 4)
    console.log(
      r.format,
      JSON.stringify(r.info),
      changed
        .sort((a, b) => a - b)
        .map((c) => c.toString(16))
        .join(","),
    );
}
console.log(byFormat);
