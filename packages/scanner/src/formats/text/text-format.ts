import { FIXED_LIMITS } from "../../limits.js";
import { type ByteSource, readFully } from "../../reader/byte-source.js";
import type { FormatParser } from "../format-parser.js";
import { checkChatTemplates } from "./check-chat-templates.js";
import { readGitLfsPointer } from "./git-lfs-pointer.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * True when `head` is UTF-8 text: no NUL or other C0 controls except tab, newlines and form feed.
 * A multi-byte character cut by the end of the head is allowed.
 */
export function looksLikeText(head: Uint8Array): boolean {
  for (let i = 0; i < head.length; i++) {
    const b = head[i] as number;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) return false;
    if (b === 0x7f) return false;
  }
  // Trim a possibly cut multi-byte sequence at the end (at most 3 bytes).
  let end = head.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = head[end - back] as number;
    if ((b & 0xc0) === 0x80) continue;
    if (b >= 0xc0) end -= back;
    break;
  }
  try {
    utf8.decode(head.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * UTF-8 text files (configs, tokenizers, source, markdown): nothing executes, so `safe` for format
 * checks, except chat templates (Jinja, rendered by Transformers and llama.cpp), which are checked
 * for sandbox escapes wherever they live (see `chatTemplatesIn`).
 */
export const textFormat: FormatParser = {
  id: "text",
  sniff: (head) => looksLikeText(head),
  async parse(source: ByteSource, ctx) {
    const bytes = await readFully(source, 0, Math.min(source.size, FIXED_LIMITS.maxTextBytes));
    const text = new TextDecoder("utf-8").decode(bytes);
    const partial = source.size > FIXED_LIMITS.maxTextBytes;
    ctx.text({ text, kind: "file", line: 1, offset: 0, ...(partial ? { partial } : {}) });
    await checkChatTemplates(ctx.name, text, ctx);
    const pointer = readGitLfsPointer(bytes, source.size);
    if (pointer) {
      ctx.finding({
        check: "format",
        rule: "text/git-lfs-pointer",
        severity: "info",
        message: `a Git LFS pointer to a ${pointer.size}-byte object (sha256 ${pointer.oid}): the file it stands for is not here and was not scanned`,
      });
    }
    if (partial) ctx.info("textTruncatedAt", FIXED_LIMITS.maxTextBytes);
  },
};
