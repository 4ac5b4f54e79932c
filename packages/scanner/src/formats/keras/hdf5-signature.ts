const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Offsets where the HDF5 signature may sit: 0, or after a user block of 512, 1024, 2048 bytes. */
const SIGNATURE_OFFSETS = [0, 512, 1024, 2048];

/** Offset of the HDF5 signature in `head`, or undefined. Spec: HDF5 File Format, "Superblock". */
export function hdf5SignatureOffset(head: Uint8Array): number | undefined {
  return SIGNATURE_OFFSETS.find((at) => SIGNATURE.every((b, i) => head[at + i] === b));
}
