import { FIXED_LIMITS } from "../../limits.js";
import { type ByteSource, readFully } from "../../reader/byte-source.js";
import type { FormatParser, ParseContext } from "../format-parser.js";
import { findContainer } from "./find-container.js";
import { findExecutable } from "./find-executable.js";
import { findZipEnd, ZIP_END_SEARCH_BYTES } from "./find-zip-end.js";

/** Overlap between search windows, so a header split across two reads is still seen. */
const OVERLAP = 4096 + 64;

/**
 * Everything no other format claimed (last in the registry). Such a file is `safe` only when
 * nothing in it looks like an executable container: a compressed stream, archive or NumPy array
 * that no parser took, or a zip archive found by its end record (an `error`: not analysed), ELF and PE images in its first `FIXED_LIMITS.maxUnknownScanBytes`,
 * and Mach-O, WebAssembly, Java, DEX and .pyc at its start (`suspicious`).
 * Either way the report says plainly that the format was not recognised.
 */
export const unknownFormat: FormatParser = {
  id: "unknown",
  sniff: () => true,
  async parse(source: ByteSource, ctx: ParseContext) {
    const container = findContainer(await readFully(source, 0, Math.min(source.size, 512)));
    if (container !== undefined) {
      ctx.finding({
        check: "format",
        rule: "unknown/unanalysed-container",
        severity: "error",
        message: `a ${container} that no parser analysed; what it holds (pickles among them) was not checked`,
      });
      return;
    }
    const tailStart = Math.max(0, source.size - ZIP_END_SEARCH_BYTES);
    const zipEnd = findZipEnd(await readFully(source, tailStart, source.size - tailStart), tailStart);
    if (zipEnd !== undefined) {
      ctx.finding({
        check: "format",
        rule: "unknown/zip-archive",
        severity: "error",
        message: `unrecognised file holding a zip archive (end record at offset ${zipEnd}) whose members were not analysed; zip readers such as torch.load open it whatever precedes it`,
        location: { offset: zipEnd },
      });
      return;
    }
    const end = Math.min(source.size, FIXED_LIMITS.maxUnknownScanBytes);
    const step = Math.max(ctx.limits.readChunkBytes, 2 * OVERLAP);
    for (let offset = 0; offset < end; offset += step - OVERLAP) {
      const bytes = await readFully(source, offset, Math.min(step, end - offset));
      const match = findExecutable(bytes, offset);
      if (match) {
        ctx.finding({
          check: "format",
          rule: "unknown/executable",
          severity: "suspicious",
          message: `unrecognised binary format containing a ${match.kind} at offset ${match.offset}; executables have no place in a model and are not analysed`,
          location: { offset: match.offset },
        });
        return;
      }
      if (offset + bytes.length >= end) break;
    }
    const scope = source.size > end ? `its first ${end} bytes hold` : "it holds";
    ctx.finding({
      check: "format",
      rule: "unknown/unrecognised",
      severity: "info",
      message: `unrecognised binary format, not analysed; ${scope} no known executable (ELF, PE, Mach-O, WebAssembly, Java, DEX, Python bytecode), so it is reported safe`,
    });
  },
};
