/** Bounds of the ONNX reader. Message nesting is bounded by protobuf-es (recursion limit 100, CWE-674). */

/** Nodes, graphs and tensors visited in one model (CWE-770, CWE-835). */
export const MAX_ONNX_ITEMS = 10_000_000;

/** External data files and custom domains listed in the summary (CWE-770). */
export const MAX_ONNX_LISTED = 100;
