import type { FormatParser } from "../format-parser.js";
import { hdf5SignatureOffset } from "../keras/hdf5-signature.js";

/**
 * HDF5 files that are not Keras models (weights saved with `save_weights`, data sets). Loading them
 * with h5py reads arrays and runs no code, so nothing is reported beyond the format.
 * Comes after `keras-h5`, which hands over the files without a model config.
 */
export const hdf5Format: FormatParser = {
  id: "hdf5",
  sniff: (head) => hdf5SignatureOffset(head) !== undefined,
  async parse(_source, ctx) {
    ctx.info("hdf5", "HDF5 data without a Keras model config");
  },
};
