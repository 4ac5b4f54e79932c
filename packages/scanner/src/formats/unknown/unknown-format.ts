import { type ByteSource, readFully } from "../../reader/byte-source.js";
import type { FormatParser, ParseContext } from "../format-parser.js";
import { findExecutable } from "./find-executable.js";

/** Bytes of an unknown file searched for embedded executables (CWE-400: bounded work per file). */
export const MAX_UNKNOWN_SCAN_BYTES = 16 * 1024 * 1024;

/** Overlap between search windows, so a header split across two reads is still seen. */
const OVERLAP = 4096 + 64;

/**
 * Everything no other format claimed (last in the registry). Such a file is `safe` only when
 * nothing in it looks like an executable container: its first `MAX_UNKNOWN_SCAN_BYTES` are
 * searched for ELF and PE images, and its start for Mach-O, WebAssembly, Java, DEX and .pyc.
 * Either way the report says plainly that the format was not recognised.
 */
export const unknownFormat: FormatParser = {
  id: "unknown",
  sniff: () => true,
  async parse(source: ByteSource, ctx: ParseContext) {
    const end = Math.min(source.size, MAX_UNKNOWN_SCAN_BYTES);
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
