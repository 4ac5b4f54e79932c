import { createClamdClient } from "@modelgate/clamav";

const counts = {};
for (const size of [1048577, 1048576 + 65536, 4 * 1048576])
  for (let i = 0; i < 30; i++) {
    const r = await createClamdClient({ kind: "unix", path: "/tmp/cx9/clamd.sock" }).scan({
      size,
      read: async (o, l) => new Uint8Array(l),
    });
    const k = `${size} ${r.kind} ${r.message?.slice(0, 60)}`;
    counts[k] = (counts[k] ?? 0) + 1;
  }
console.log(counts);
