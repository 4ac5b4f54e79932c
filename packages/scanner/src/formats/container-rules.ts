/**
 * Every rule id the container parsers report, with what it means. An id is never reused for another
 * meaning; retired ids stay listed in `RETIRED_CONTAINER_RULES`. The rule registry (`report/rule-registry.ts`)
 * takes them in, and its test keeps them and the code in step.
 */
export const CONTAINER_RULES: Readonly<Record<string, string>> = Object.freeze({
  "zip/no-end-record": "No end-of-central-directory record: the file is not a readable zip (error).",
  "zip/bad-end-record":
    "The end records point outside the file or cannot hold the declared directory (error; suspicious when only one of PyTorch's and Python's readers refuses them, and the archive is scanned as the other reads it).",
  "zip/bad-central-directory":
    "A central-directory record is cut, inconsistent, or its data runs past the file (error).",
  "zip/unsupported":
    "Multi-disk archives and masked local headers, which PyTorch's reader refuses (error; suspicious when Python's zipfile reads the archive, which is then scanned as it reads it).",
  "zip/too-many-entries": "The archive declares more entries than `maxArchiveEntries` (error).",
  "zip/entry-count-mismatch":
    "The end record counts other entries than the central directory holds: PyTorch (miniz) reads the count, Python's zipfile the directory's size; the entries of both are scanned (suspicious).",
  "zip/directory-too-large": "The central directory is larger than `maxMemberBytes` (error).",
  "zip/bad-local-header":
    "A member has no local header where the directory says, or its data runs past the file (error).",
  "zip/unsupported-method": "A member uses a compression method other than stored or deflate (error).",
  "zip/local-name-mismatch":
    "The local header names the member differently from the central directory (suspicious).",
  "zip/local-header-mismatch":
    "The local header's method, flags or CRC differ from the central directory (suspicious).",
  "zip/flag-bits":
    "Encryption, patch or reserved flag bits are set; readers differ on whether they read the member, so its bytes are scanned anyway (suspicious).",
  "zip/duplicate-entry":
    "Two entries share a name (exactly or ignoring case); loaders differ on which one they read (suspicious).",
  "zip/overlap-bomb":
    "Entries share compressed bytes and together extract to more than the file may expand to (`maxCompressionRatio`, `maxDecompressedBytes`): an overlapping-entry zip bomb (error).",
  "zip/overlapping-entries":
    "Two entries share bytes, or a member runs into the central directory (suspicious).",
  "zip/data-before-first-entry": "Bytes before the first member belong to no entry (suspicious).",
  "zip/unreferenced-bytes":
    "Bytes between members, or before the end record, belong to no entry (suspicious).",
  "zip/data-after-end-record":
    "Bytes after the end-of-central-directory record and its comment (suspicious).",
  "zip/crc-mismatch":
    "A pickle member's CRC differs from the directory's; PyTorch loads it anyway (suspicious).",
  "zip/size-mismatch": "A deflated member inflates to another size than declared (suspicious).",
  "zip/truncated-member": "A deflated member's data ends inside its deflate stream (error).",
  "tar/bad-header": "The first block is not a valid tar header (error).",
  "tar/bad-pax-header": "A pax header is malformed; tarfile stops reading there (suspicious).",
  "tar/header-too-large": "A pax or GNU long-name header is larger than its limit (error).",
  "tar/size-on-non-file":
    "A directory or link declares a size whose data tarfile reads as headers (suspicious).",
  "tar/data-after-end": "Data after the end of the archive that tarfile does not read (suspicious).",
  "tar/duplicate-entry":
    "A name appears twice; tarfile reads the last, other readers the first (suspicious).",
  "tar/truncated-member": "A member's data runs past the end of the file (error).",
  "numpy/bad-header": "The .npy header is not the dict numpy reads, or its version is unsupported (error).",
  "numpy/header-too-large": "The .npy header is longer than its limit (error).",
  "numpy/truncated": "A plain array has less data than its header declares (suspicious).",
  "numpy/trailing-data": "Bytes after a plain array's data (suspicious).",
  "pytorch/legacy-incomplete": "A pickle of a legacy PyTorch file does not end cleanly (error).",
  "pytorch/pickle-after-storages":
    "A pickle that imports or calls, after the five of a legacy PyTorch file, where torch.load reads storages (suspicious).",
  "pytorch/legacy-unreadable":
    "The records of PyTorch's tar layout cannot be followed to their next pickle (error).",
  "pytorch/too-many-records": "A PyTorch tar member declares more records than `maxPicklesPerFile` (error).",
  "pytorch/linked-member":
    "A member of PyTorch's tar layout is a link; torch.load reads its target instead (suspicious).",
  "pytorch/trailing-data":
    "Bytes at the end of a PyTorch tar member that torch.load does not read (suspicious).",
  "compression/corrupt": "Compressed data does not decode; what decoded before is still analysed (error).",
  "compression/truncated": "A compressed stream ends before its end marker (error).",
  "compression/trailing-data":
    "Bytes after the end of a compressed stream that the loader does not read (suspicious).",
  "container/too-many-entries":
    "More archive entries in one file, nested archives included, than `maxArchiveEntries` (error).",
  "container/decompressed-too-large":
    "More decompressed bytes than `maxDecompressedBytes` or `maxMemberBytes` (error).",
  "container/compression-ratio":
    "A member expands more than `maxCompressionRatio` times: a decompression bomb (error).",
  "container/member-too-large": "A member to be read whole is larger than `maxMemberBytes` (error).",
  "container/nesting-too-deep":
    "Containers nested deeper than `maxNestingDepth` (error; reported by the scan).",
  "container/truncated": "A header or record is cut by the end of its data (error).",
  "container/too-many-rereads":
    "A parser went back past the kept window of a streamed (decompressed) member more than 8 times; each time costs a full decompression, so the rest was not analysed (error).",
  "container/unsupported": "A recognised format modelgate cannot look into (7z): never safe (error).",
});

/** Ids no longer reported, kept so that they are never reused. */
export const RETIRED_CONTAINER_RULES: readonly string[] = [];
