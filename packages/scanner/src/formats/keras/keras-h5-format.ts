import { type ByteSource, SliceSource } from "../../reader/byte-source.js";
import type { FormatParser, ParseContext } from "../format-parser.js";
import { NotThisFormatError } from "../not-this-format.js";
import { hdf5SignatureOffset } from "./hdf5-signature.js";
import { Hdf5TooLargeError, readHdf5RootAttrs } from "./read-hdf5-root-attrs.js";
import { reportKerasConfig } from "./report-keras-config.js";

/**
 * Legacy Keras models (`model.save("x.h5")`): an HDF5 file whose root attribute `model_config`
 * holds the architecture as JSON. The whole layer tree is walked (see `walkKerasConfig`), and
 * `training_config` too (custom losses and metrics). HDF5 files without a model config are left to
 * the plain `hdf5` format.
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
    const { attrs } = root;
    if (attrs.model_config === undefined) {
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
    for (const line of root.printed) {
      // jsfive's word for an attribute it could not read (set to null): something it hides.
      ctx.finding({
        check: "format",
        rule: "hdf5/unreadable-attribute",
        severity: "suspicious",
        message: `the HDF5 reader could not read everything: ${line}`,
      });
    }
    const summary = reportConfigAttr(attrs.model_config, "model_config", ctx);
    if (attrs.training_config !== undefined) reportConfigAttr(attrs.training_config, "training_config", ctx);
    ctx.info("keras", {
      ...(typeof attrs.keras_version === "string" ? { kerasVersion: attrs.keras_version } : {}),
      ...(typeof attrs.backend === "string" ? { backend: attrs.backend } : {}),
      ...(summary?.modelClass !== undefined ? { modelClass: summary.modelClass } : {}),
      objects: summary?.objects ?? 0,
    });
  },
};

function reportConfigAttr(
  value: unknown,
  name: string,
  ctx: ParseContext,
): ReturnType<typeof reportKerasConfig> {
  const text = attrText(value);
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

/** An HDF5 string attribute as jsfive returns it: a string, bytes, or a one-element array of either. */
function attrText(value: unknown): string | undefined {
  const one = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof one === "string") return one;
  if (one instanceof Uint8Array) return new TextDecoder("utf-8").decode(one);
  return undefined;
}
