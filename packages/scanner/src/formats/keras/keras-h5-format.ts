import { type ByteSource, SliceSource } from "../../reader/byte-source.js";
import type { FormatParser, ParseContext } from "../format-parser.js";
import { Hdf5TooLargeError } from "../hdf5/hdf5-errors.js";
import { type AttributeValue, readHdf5RootAttrs } from "../hdf5/read-root-attributes.js";
import { NotThisFormatError } from "../not-this-format.js";
import { hdf5SignatureOffset } from "./hdf5-signature.js";
import { reportKerasConfig } from "./report-keras-config.js";

/**
 * Legacy Keras models (`model.save("x.h5")`): an HDF5 file whose root attribute `model_config`
 * holds the architecture as JSON. The whole layer tree is walked (see `walkKerasConfig`), and
 * `training_config` too (custom losses and metrics). HDF5 files without a model config are left to
 * the plain `hdf5` format.
 *
 * The root attributes are read by modelgate's own small HDF5 reader (`../hdf5/`), not by a general
 * HDF5 library: the check needs four root-group string attributes, and a reader of just the
 * superblock, the root object header and the global heap is a few hundred lines that read nothing
 * else (no links, no datasets), are bounded throughout and read from the source as needed. jsfive
 * 0.4.2, used before, is a whole HDF5 library (B-trees, chunked datasets, filters) that walked the
 * root group's links with no bound (patched out at run time), read a prefix held in memory and told
 * "read more" from a RangeError, whose text depends on the JavaScript engine.
 */
export const kerasH5Format: FormatParser = {
  id: "keras-h5",
  sniff: (head) => hdf5SignatureOffset(head) !== undefined,
  async parse(source: ByteSource, ctx: ParseContext) {
    const head = await source.read(0, 2056);
    // A user block (MATLAB v7.3 files have one of 512 bytes) puts the superblock further on, and
    // HDF5 addresses count from it: the file is read from there.
    const superblockAt = hdf5SignatureOffset(head) ?? 0;
    const hdf5 =
      superblockAt === 0 ? source : new SliceSource(source, superblockAt, source.size - superblockAt);
    let root: Awaited<ReturnType<typeof readHdf5RootAttrs>>;
    try {
      root = await readHdf5RootAttrs(hdf5, ctx.limits.maxMemberBytes);
    } catch (err) {
      if (err instanceof Hdf5TooLargeError) {
        ctx.finding({ check: "format", rule: "hdf5/too-large", severity: "error", message: err.message });
        return;
      }
      if (superblockAt === 0) throw err;
      ctx.finding({
        check: "format",
        rule: "hdf5/user-block",
        severity: "error",
        message: `HDF5 file with a ${superblockAt}-byte user block whose superblock could not be read from there (${err instanceof Error ? err.message : String(err)}), so its attributes were not checked`,
      });
      return;
    }
    const attrs = root.attrs;
    if (!attrs.has("model_config")) {
      if (root.denseAttributes) {
        ctx.finding({
          check: "format",
          rule: "hdf5/dense-attributes",
          severity: "error",
          message:
            "the root group keeps attributes in dense storage, which cannot be read; a model config may hide there",
        });
        return;
      }
      throw new NotThisFormatError("HDF5 file without a Keras model_config attribute");
    }
    for (const { name, reason } of root.unreadable) {
      // An attribute the reader cannot interpret is something the file hides from the check.
      ctx.finding({
        check: "format",
        rule: "hdf5/unreadable-attribute",
        severity: "suspicious",
        message: `the HDF5 root attribute ${JSON.stringify(name)} could not be read: ${reason}`,
      });
    }
    const summary = reportConfigAttr(attrs.get("model_config"), "model_config", ctx);
    const training = attrs.get("training_config");
    if (training !== undefined) reportConfigAttr(training, "training_config", ctx);
    const kerasVersion = attrs.get("keras_version");
    const backend = attrs.get("backend");
    ctx.info("keras", {
      ...(typeof kerasVersion === "string" ? { kerasVersion } : {}),
      ...(typeof backend === "string" ? { backend } : {}),
      ...(summary?.modelClass !== undefined ? { modelClass: summary.modelClass } : {}),
      objects: summary?.objects ?? 0,
    });
  },
};

function reportConfigAttr(
  value: AttributeValue | undefined,
  name: string,
  ctx: ParseContext,
): ReturnType<typeof reportKerasConfig> {
  // A one-element string array is analysed too (Keras itself would fail on it): reading more errs on
  // the safe side.
  const text =
    typeof value === "string" ? value : Array.isArray(value) && value.length === 1 ? value[0] : undefined;
  if (text === undefined) {
    ctx.finding({
      check: "format",
      rule: "keras/config-json",
      severity: "error",
      message: `the ${name} attribute is not a string; the model cannot be checked`,
    });
    return undefined;
  }
  return reportKerasConfig(text, name, ctx);
}
