import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SafetensorsPlan } from "@modelgate/scanner";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { validateOutput } from "./validate-output.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "modelgate-validate-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A plan whose header is `json` (padded) and whose data is `data` bytes of zeros. */
function plan(json: string, data: number): SafetensorsPlan {
  const padded = Math.ceil(json.length / 8) * 8;
  const header = new Uint8Array(8 + padded).fill(0x20, 8);
  new DataView(header.buffer).setBigUint64(0, BigInt(padded), true);
  header.set(new TextEncoder().encode(json), 8);
  return { header, tensors: [], dataBytes: data, fileBytes: header.length + data };
}

async function writeAndValidate(p: SafetensorsPlan, extra = 0): Promise<void> {
  const path = join(dir, "x.tmp");
  const handle = await open(path, "w+");
  try {
    await handle.write(p.header, 0, p.header.length, 0);
    await handle.write(new Uint8Array(p.dataBytes + extra), 0, p.dataBytes + extra, p.header.length);
    await validateOutput(path, "x.safetensors", handle, p);
  } finally {
    await handle.close();
  }
}

describe("validateOutput", () => {
  it("accepts a well-formed file", async () => {
    await expect(
      writeAndValidate(
        plan('{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', 8),
      ),
    ).resolves.toBeUndefined();
  });

  it("refuses what the project's safetensors validator rejects (sizes that disagree with the shape)", async () => {
    const bad = plan('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', 8);
    await expect(writeAndValidate(bad)).rejects.toThrow(/safetensors validator rejects the output/);
  });

  it("refuses a file whose size is not the plan's (a short or long write)", async () => {
    const p = plan('{"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]}}', 8);
    await expect(writeAndValidate(p, 1)).rejects.toThrow(/wrote 73 bytes, expected 72/);
  });
});
