import { deflateFormats } from "./compression/deflate-formats.js";
import type { FormatParser } from "./format-parser.js";
import { npyFormat } from "./numpy/npy-format.js";
import { npzFormat } from "./numpy/npz-format.js";
import { pickleFormat } from "./pickle/pickle-format.js";
import { pytorchLegacyFormat } from "./pytorch/pytorch-legacy-format.js";
import { pytorchZipFormat } from "./pytorch/pytorch-zip-format.js";
import { tarFormat } from "./tar/tar-format.js";
import { textFormat } from "./text/text-format.js";
import { zipFormat } from "./zip/zip-format.js";

/**
 * Built-in formats in detection order. Formats with a precise magic number come first; pickle
 * (detected by its first opcode, then confirmed by analysis) comes after them, text and unknown last.
 * Zip-based formats go from the most specific (PyTorch, npz) to plain zip, which takes any archive.
 */
export const DEFAULT_PARSERS: readonly FormatParser[] = [
  pytorchZipFormat,
  npzFormat,
  zipFormat,
  tarFormat,
  npyFormat,
  ...deflateFormats,
  pytorchLegacyFormat,
  pickleFormat,
  textFormat,
];
