import type { ByteSource } from "../../reader/byte-source.js";
import type { FormatParser, ParseContext } from "../format-parser.js";
import { summaryText } from "../summary-text.js";
import { findTemplateEscapes } from "./find-template-escapes.js";
import { ggufTensorSpans } from "./gguf-tensor-spans.js";

/** Where the GGUF reader is told the file lives; it only ever reaches it through `sourceFetch`. */
const VIRTUAL_URL = "https://modelgate.invalid/model.gguf";

/** Metadata keys holding a chat template (`tokenizer.chat_template`, `tokenizer.chat_template.<name>`). */
const TEMPLATE_KEY = /(^|\.)chat_template(\.|$)/;

/**
 * GGUF (llama.cpp) models: header, metadata and tensor infos, read with @huggingface/gguf
 * (https://github.com/huggingface/huggingface.js/tree/main/packages/gguf), which bounds every
 * count, string and array it reads (at most 50 MB of header). Tensor data is never read.
 * Metadata strings go to the text checks: chat templates as `gguf-chat-template` (Jinja, which
 * llama.cpp and transformers render), other strings as `gguf-metadata`. Chat templates are also
 * parsed and checked for sandbox escapes (see `findTemplateEscapes`). Tensor data laid out as llama.cpp
 * requires is marked as such (`ggufTensorSpans`), so the secrets check does not read it.
 * Spec: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
 */
export const ggufFormat: FormatParser = {
  id: "gguf",
  sniff: (head) => head[0] === 0x47 && head[1] === 0x47 && head[2] === 0x55 && head[3] === 0x46,
  async parse(source: ByteSource, ctx: ParseContext) {
    // Loaded on first use: most scans never meet a GGUF file, and start-up time matters to the CLI.
    const { gguf } = await import("@huggingface/gguf");
    const jinja = await import("@huggingface/jinja");
    // The reader fetches 2 MB ranges of a URL; a custom fetch serves them from the source instead.
    const parsed = await gguf(VIRTUAL_URL, { fetch: sourceFetch(source), computeParametersCount: true });
    const { tensorInfos, parameterCount } = parsed;
    // The reader pads short reads with zeros, so a header cut short parses as zeros: check its end.
    const headerEnd = parsed.tensorInfoByteRange[1];
    if (headerEnd > source.size) {
      ctx.finding({
        check: "format",
        rule: "gguf/truncated",
        severity: "error",
        message: `the GGUF header ends at offset ${headerEnd}, past the end of the ${source.size}-byte file`,
      });
      return;
    }
    const metadata: Record<string, unknown> = Object.fromEntries(Object.entries(parsed.metadata));
    markTensorData(parsed.tensorInfos, parsed.tensorDataOffset, metadata["general.alignment"], source, ctx);
    for (const [key, value] of Object.entries(metadata)) {
      // Arrays (vocabularies, merges) are not handed on: tokens are not secrets and would flood the checks.
      if (typeof value !== "string") continue;
      const isTemplate = TEMPLATE_KEY.test(key);
      ctx.text({ text: value, kind: isTemplate ? "gguf-chat-template" : "gguf-metadata" });
      if (!isTemplate) continue;
      for (const issue of findTemplateEscapes(jinja, value, `metadata ${JSON.stringify(key.slice(0, 80))}`)) {
        ctx.finding({ check: "format", rule: issue.rule, severity: issue.severity, message: issue.message });
      }
    }
    const name = metadata["general.name"];
    const architecture = metadata["general.architecture"];
    ctx.info("gguf", {
      version: metadata.version,
      ...(typeof architecture === "string" ? { architecture: summaryText(architecture) } : {}),
      ...(typeof name === "string" ? { name: summaryText(name) } : {}),
      tensors: tensorInfos.length,
      metadataKeys: Object.keys(metadata).length - 3,
      parameters: parameterCount,
      chatTemplates: Object.keys(metadata).filter((k) => TEMPLATE_KEY.test(k)).length,
    });
  },
};

/** GGUF's default alignment of tensor data, where `general.alignment` is not set. */
const DEFAULT_ALIGNMENT = 32;

/** Marks the tensors' bytes as tensor data when every tensor passes `ggufTensorSpans`'s rules. */
function markTensorData(
  tensors: Parameters<typeof ggufTensorSpans>[0],
  dataOffset: bigint,
  alignment: unknown,
  source: ByteSource,
  ctx: ParseContext,
): void {
  const align =
    typeof alignment === "number" || typeof alignment === "bigint" ? Number(alignment) : DEFAULT_ALIGNMENT;
  for (const span of ggufTensorSpans(tensors, dataOffset, align, source.size) ?? []) {
    ctx.tensorData(span.start, span.end - span.start);
  }
}

/** The `fetch` option of the GGUF reader, whatever `fetch` is where this is compiled. */
type GgufFetch = NonNullable<NonNullable<Parameters<typeof import("@huggingface/gguf").gguf>[1]>["fetch"]>;

/**
 * A minimal `fetch` answering Range requests for `VIRTUAL_URL` from the byte source. Its answer is a
 * partial `Response` (the reader uses only `headers.get` and `arrayBuffer`), hence the cast.
 */
function sourceFetch(source: ByteSource): GgufFetch {
  const answer = async (_url: string, init?: { headers?: Record<string, string> }) => {
    const range = /bytes=(\d+)-(\d+)/.exec(init?.headers?.Range ?? "");
    const start = Number(range?.[1] ?? 0);
    const end = Math.min(source.size - 1, Number(range?.[2] ?? source.size - 1));
    const bytes = start <= end ? (await source.read(start, end - start + 1)).slice() : new Uint8Array(0);
    return {
      headers: {
        get: (name: string) =>
          name.toLowerCase() === "content-range" ? `bytes ${start}-${end}/${source.size}` : null,
      },
      arrayBuffer: async () => bytes.buffer,
    };
  };
  return answer as unknown as GgufFetch;
}
