import { lzmaAloneFormat, sevenZipFormat } from "./archive/unreadable-format.js";
import { deflateFormats } from "./compression/deflate-formats.js";
import { bzip2Format, lz4Format, xzFormat } from "./compression/other-formats.js";
import type { FormatParser } from "./format-parser.js";
import { ggufFormat } from "./gguf/gguf-format.js";
import { hdf5Format } from "./hdf5/hdf5-format.js";
import { kerasH5Format } from "./keras/keras-h5-format.js";
import { kerasV3Format } from "./keras/keras-v3-format.js";
import { npyFormat } from "./numpy/npy-format.js";
import { npzFormat } from "./numpy/npz-format.js";
import { onnxAnyOrderFormat, onnxFormat } from "./onnx/onnx-format.js";
import { pickleFormat } from "./pickle/pickle-format.js";
import { pytorchLegacyFormat } from "./pytorch/pytorch-legacy-format.js";
import { pytorchTarFormat } from "./pytorch/pytorch-tar-format.js";
import { pytorchZipFormat } from "./pytorch/pytorch-zip-format.js";
import { safetensorsFormat } from "./safetensors/safetensors-format.js";
import { tarFormat } from "./tar/tar-format.js";
import { textFormat } from "./text/text-format.js";
import { tfSavedModelAnyOrderFormat, tfSavedModelFormat } from "./tf-savedmodel/tf-savedmodel-format.js";
import { unknownFormat } from "./unknown/unknown-format.js";
import { zipFormat } from "./zip/zip-format.js";

/**
 * Built-in formats in detection order. Formats with a precise magic number come first; pickle
 * (detected by its first opcode, then confirmed by analysis) comes after them, text and unknown last.
 * safetensors precedes pickle: its header length's first byte can be 0x80, pickle's PROTO opcode.
 * SavedModel precedes ONNX: both are protobufs starting with field 1, and its test is the stricter.
 * Protobufs in another field order than writers use are recognised after pickle (a file that is
 * both is then analysed as a pickle) and before text.
 * Zip-based formats go from the most specific (PyTorch, npz) to plain zip, which takes any archive.
 */
export const DEFAULT_PARSERS: readonly FormatParser[] = [
  safetensorsFormat,
  kerasH5Format,
  hdf5Format,
  ggufFormat,
  tfSavedModelFormat,
  onnxFormat,
  pytorchZipFormat,
  npzFormat,
  kerasV3Format,
  zipFormat,
  pytorchTarFormat,
  tarFormat,
  npyFormat,
  ...deflateFormats,
  bzip2Format,
  lz4Format,
  xzFormat,
  lzmaAloneFormat,
  sevenZipFormat,
  pytorchLegacyFormat,
  pickleFormat,
  tfSavedModelAnyOrderFormat,
  onnxAnyOrderFormat,
  textFormat,
  unknownFormat,
];
