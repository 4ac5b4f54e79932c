/** Bounds of the Keras readers. */

/** JSON objects visited in one model config; real models have thousands (CWE-770, CWE-835). */
export const MAX_KERAS_CONFIG_NODES = 2_000_000;

/** Nesting of a model config walked; deeper configs are reported and not walked further (CWE-674). */
export const MAX_KERAS_CONFIG_DEPTH = 256;

/** First read of an HDF5 file, doubled while the reader needs more (the config sits near the start). */
export const H5_INITIAL_READ_BYTES = 1024 * 1024;
