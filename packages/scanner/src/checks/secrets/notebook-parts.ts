/** A piece of a Jupyter notebook the secrets check scans on its own, with where it came from. */
export interface NotebookPart {
  /** Index in the notebook's `cells` array (0-based); undefined for notebook metadata. */
  cell: number | undefined;
  part: "source" | "output" | "metadata";
  /** Index of the output within its cell, for `output` parts. */
  output?: number;
  text: string;
}

/** Output MIME types that hold binary data as base64 (images, PDFs, audio, video): nothing to find there. */
const BINARY_MIME = /^(?:image|audio|video)\/|^application\/(?:pdf|octet-stream)/;

function joinText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join("");
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Quick test before parsing: a notebook is a JSON object with `cells` and `nbformat` keys. */
function mayBeNotebook(text: string): boolean {
  return /^\s*\{/.test(text.slice(0, 64)) && text.includes('"nbformat"') && text.includes('"cells"');
}

function outputTexts(output: unknown): string[] {
  if (!isRecord(output)) return [];
  const texts: string[] = [];
  const stream = joinText(output.text);
  if (stream !== undefined) texts.push(stream);
  if (isRecord(output.data)) {
    for (const [mime, value] of Object.entries(output.data)) {
      if (BINARY_MIME.test(mime)) continue;
      const text =
        joinText(value) ?? (isRecord(value) || Array.isArray(value) ? JSON.stringify(value) : undefined);
      if (text !== undefined) texts.push(text);
    }
  }
  if (typeof output.evalue === "string") texts.push(output.evalue);
  const traceback = Array.isArray(output.traceback)
    ? joinText(output.traceback.map((l) => `${l}\n`))
    : undefined;
  if (traceback !== undefined) texts.push(traceback);
  return texts;
}

/**
 * The decoded texts of a Jupyter notebook (nbformat 4): each cell's source, each output's text
 * (streams, text/HTML/JSON results, error tracebacks; base64 images skipped) and the metadata.
 * Returns undefined when `text` is not a notebook, so the caller scans it as plain text.
 * At most `maxCells` cells are read (CWE-770).
 * See https://nbformat.readthedocs.io/en/latest/format_description.html
 */
export function notebookParts(text: string, maxCells: number): NotebookPart[] | undefined {
  if (!mayBeNotebook(text)) return undefined;
  let nb: unknown;
  try {
    nb = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(nb) || !Array.isArray(nb.cells)) return undefined;
  const parts: NotebookPart[] = [];
  nb.cells.slice(0, maxCells).forEach((cell: unknown, index: number) => {
    if (!isRecord(cell)) return;
    const source = joinText(cell.source);
    if (source !== undefined) parts.push({ cell: index, part: "source", text: source });
    if (!Array.isArray(cell.outputs)) return;
    cell.outputs.forEach((output: unknown, o: number) => {
      for (const t of outputTexts(output)) parts.push({ cell: index, part: "output", output: o, text: t });
    });
  });
  if (nb.metadata !== undefined)
    parts.push({ cell: undefined, part: "metadata", text: JSON.stringify(nb.metadata) });
  return parts;
}
