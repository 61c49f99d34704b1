/**
 * Files: safetensors, the checkpoint format (tensors by name plus string metadata, readable from
 * Python). Explicit named re-exports only.
 */
export { encodeSafetensors, decodeSafetensors, tensor, dtypeOf } from "./safetensors";
export type { SafetensorsDtype, SafetensorsData, StoredTensor, SafetensorsFile } from "./safetensors";
