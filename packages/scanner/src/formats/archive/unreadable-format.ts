import type { FormatId } from "../../report/types.js";
import type { FormatParser } from "../format-parser.js";

/**
 * A format recognised by its magic number that modelgate cannot open: the file is an `error`, with a
 * message saying so, because what cannot be looked into is never `safe`.
 */
export function unreadableFormat(id: FormatId, magic: readonly number[], what: string): FormatParser {
  return {
    id,
    sniff: (head) => magic.every((b, i) => head[i] === b),
    async parse(_source, ctx) {
      ctx.finding({
        check: "format",
        rule: "container/unsupported",
        severity: "error",
        message: `${what}: modelgate cannot look inside, so the file is not known to be safe`,
      });
    },
  };
}

/** 7-Zip archives (no maintained decoder that runs in browsers without a large WebAssembly build). */
export const sevenZipFormat = unreadableFormat("7z", [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], "a 7z archive");

/** `.lzma` ("alone") streams, joblib's `compress='lzma'`: no bounded decoder for browsers and Node is available. */
export const lzmaAloneFormat = unreadableFormat("lzma", [0x5d, 0x00], "an LZMA (alone) compressed file");
