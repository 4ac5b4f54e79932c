import type { FormatParser } from "../format-parser.js";

/** Plain pickle files (`.pkl`, joblib's uncompressed files, PyTorch's pickles): stub until the engine lands. */
export const pickleFormat: FormatParser = {
  id: "pickle",
  sniff: () => false,
  async parse() {},
};
