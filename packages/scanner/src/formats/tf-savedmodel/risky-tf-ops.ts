/**
 * TensorFlow ops that reach outside the graph when a SavedModel runs: Python callbacks and file
 * access. `dangerous`: runs Python or reads/writes arbitrary files. `suspicious`: reads or writes
 * files through readers, datasets or summary writers, which models rarely need at inference.
 * Checkpoint ops (SaveV2, RestoreV2, MergeV2Checkpoints) are in every SavedModel and not listed.
 */
export const RISKY_TF_OPS: Readonly<Record<string, { severity: "dangerous" | "suspicious"; why: string }>> =
  Object.freeze({
    PyFunc: { severity: "dangerous", why: "calls a Python function" },
    PyFuncStateless: { severity: "dangerous", why: "calls a Python function" },
    EagerPyFunc: { severity: "dangerous", why: "calls a Python function" },
    ReadFile: { severity: "dangerous", why: "reads any file" },
    WriteFile: { severity: "dangerous", why: "writes any file" },
    MatchingFiles: { severity: "suspicious", why: "lists files" },
    WholeFileReader: { severity: "suspicious", why: "reads whole files" },
    WholeFileReaderV2: { severity: "suspicious", why: "reads whole files" },
    TextLineReader: { severity: "suspicious", why: "reads files" },
    TextLineReaderV2: { severity: "suspicious", why: "reads files" },
    FixedLengthRecordReader: { severity: "suspicious", why: "reads files" },
    FixedLengthRecordReaderV2: { severity: "suspicious", why: "reads files" },
    TFRecordReader: { severity: "suspicious", why: "reads files" },
    TFRecordReaderV2: { severity: "suspicious", why: "reads files" },
    TextLineDataset: { severity: "suspicious", why: "reads files" },
    TFRecordDataset: { severity: "suspicious", why: "reads files" },
    FixedLengthRecordDataset: { severity: "suspicious", why: "reads files" },
    FixedLengthRecordDatasetV2: { severity: "suspicious", why: "reads files" },
    DatasetToTFRecord: { severity: "suspicious", why: "writes files" },
    SaveDataset: { severity: "suspicious", why: "writes files" },
    SaveDatasetV2: { severity: "suspicious", why: "writes files" },
    SnapshotDataset: { severity: "suspicious", why: "writes files" },
    SnapshotDatasetV2: { severity: "suspicious", why: "writes files" },
    CreateSummaryFileWriter: { severity: "suspicious", why: "writes files" },
    ImmutableConst: { severity: "suspicious", why: "maps a file into memory" },
    DebugIdentityV2: { severity: "suspicious", why: "writes debug dumps to files" },
  });
