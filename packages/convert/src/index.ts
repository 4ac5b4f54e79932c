// Converting PyTorch checkpoints to safetensors, without executing them.
export type { ConvertedInput, ConvertOptions } from "./convert-checkpoints.js";
export { convertCheckpoints } from "./convert-checkpoints.js";
export { DEFAULT_SHARD_SIZE, parseShardSize } from "./parse-shard-size.js";
export { renderConversion } from "./render-conversion.js";
