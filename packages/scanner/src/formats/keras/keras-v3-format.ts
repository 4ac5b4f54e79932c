import { FIXED_LIMITS } from "../../limits.js";
import type { ByteSource } from "../../reader/byte-source.js";
import { budgetFor } from "../container-budget.js";
import { ContainerError } from "../container-error.js";
import { issueFromError, reportIssues } from "../container-issue.js";
import type { FormatParser, ParseContext } from "../format-parser.js";
import { NotThisFormatError } from "../not-this-format.js";
import type { ZipArchive } from "../zip/read-zip-archive.js";
import { readZipFlavour } from "../zip/read-zip-flavour.js";
import { readZipMemberBytes } from "../zip/read-zip-member-bytes.js";
import { scanZip } from "../zip/scan-zip.js";
import { startsLikeZip } from "../zip/starts-like-zip.js";
import type { ZipEntry } from "../zip/zip-types.js";
import { reportKerasV3 } from "./report-keras-v3.js";

const utf8 = new TextDecoder("utf-8");

/**
 * Keras 3 `.keras` files: a zip holding `config.json` (the architecture), `metadata.json` and
 * `model.weights.h5`. The config is walked like a legacy one (see `walkKerasConfig`), `module`
 * and `registered_name` entries included; then every member is scanned by content, as any zip's.
 * Format: https://keras.io/guides/serialization_and_saving/
 */
export const kerasV3Format: FormatParser = {
  id: "keras-v3",
  sniff: (head) => startsLikeZip(head),
  async parse(source: ByteSource, ctx: ParseContext) {
    const archive = await readZipFlavour(source, ctx);
    const names = new Set(archive.directory.entries.map((e) => e.name));
    if (!names.has("config.json") || !(names.has("metadata.json") || names.has("model.weights.h5"))) {
      throw new NotThisFormatError("no config.json with metadata.json or model.weights.h5");
    }
    try {
      const config = (await readMember(source, archive, "config.json", ctx)) ?? "";
      reportKerasV3(config, await readMember(source, archive, "metadata.json", ctx), ctx);
    } catch (err) {
      // A config that cannot be read cannot be checked: fail closed, but still scan the members.
      if (!(err instanceof ContainerError)) throw err;
      reportIssues(ctx, [issueFromError(err, "config.json")]);
    }
    await scanZip(source, archive, ctx, "all");
  },
};

/**
 * The text of member `name`, or undefined when absent. With duplicate names the last entry wins,
 * as in Python's zipfile, which Keras uses (the duplicate itself is reported by the zip checks).
 * Throws `ContainerError` when the member cannot be read (too large, broken compression).
 */
async function readMember(
  source: ByteSource,
  archive: ZipArchive,
  name: string,
  ctx: ParseContext,
): Promise<string | undefined> {
  const entries = archive.directory.entries;
  let entry: ZipEntry | undefined;
  for (let i = entries.length - 1; i >= 0 && !entry; i--) if (entries[i]?.name === name) entry = entries[i];
  const local = entry && archive.locals.get(entry.index);
  if (!entry || !local) return undefined;
  const limits = {
    ...ctx.limits,
    maxMemberBytes: Math.min(ctx.limits.maxMemberBytes, FIXED_LIMITS.maxKerasV3ConfigBytes),
  };
  const { bytes, issues } = await readZipMemberBytes(
    source,
    entry,
    local,
    budgetFor(source, ctx.limits),
    limits,
  );
  reportIssues(ctx, issues);
  return utf8.decode(bytes);
}
