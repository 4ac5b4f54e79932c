/** An HDF5 structure the reader needs is malformed or points outside the file: a parse error. */
export class Hdf5FormatError extends Error {
  override name = "Hdf5FormatError";
}

/** Reading the structures needed would take more bytes than the reader's budget (`maxMemberBytes`). */
export class Hdf5TooLargeError extends Error {
  override name = "Hdf5TooLargeError";
}
