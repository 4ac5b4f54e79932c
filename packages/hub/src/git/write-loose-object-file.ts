import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { constants, createDeflate } from "node:zlib";
import type { ObjectType } from "./loose-objects.js";

/**
 * Writes the content of a file as one loose object (the same format as `writeLooseObject`), streaming:
 * the content is read, hashed and deflated in pieces (deflate runs in libuv's thread pool), so a
 * large file neither sits in memory nor holds the event loop. Returns the object id.
 */
export async function writeLooseObjectFromFile(
  gitDir: string,
  type: ObjectType,
  path: string,
  size: number,
): Promise<string> {
  const header = Buffer.from(`${type} ${size}\0`);
  const sha1 = createHash("sha1").update(header);
  const objects = join(gitDir, "objects");
  const tmp = join(objects, `tmp_obj_${randomUUID()}`);
  try {
    let seen = 0;
    await pipeline(
      async function* () {
        yield header;
        for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
          sha1.update(chunk as Buffer);
          seen += (chunk as Buffer).length;
          yield chunk;
        }
      },
      // Fastest level: large inline files are mostly binary, and zlib's default level costs several
      // times the time for little gain (git reads every level).
      createDeflate({ level: constants.Z_BEST_SPEED }),
      createWriteStream(tmp, { flags: "wx", mode: 0o444 }),
    );
    if (seen !== size) throw new Error(`${path} has ${seen} bytes, not ${size}`);
    const oid = sha1.digest("hex");
    await mkdir(join(objects, oid.slice(0, 2)), { recursive: true });
    await rename(tmp, join(objects, oid.slice(0, 2), oid.slice(2)));
    return oid;
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
