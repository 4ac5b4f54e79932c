import type { FormatParser } from "./format-parser.js";
import { pickleFormat } from "./pickle/pickle-format.js";
import { textFormat } from "./text/text-format.js";

/**
 * Built-in formats in detection order. Formats with a precise magic number come first; pickle
 * (detected by its first opcode, then confirmed by analysis) comes after them, text and unknown last.
 */
export const DEFAULT_PARSERS: readonly FormatParser[] = [pickleFormat, textFormat];
