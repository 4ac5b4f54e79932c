import { type ByteSource, type ByteSpan, readFully } from "../../reader/byte-source.js";
import { type DetectedSecret, findSecrets, prepareDetectors } from "./find-secrets.js";
import { INLINE_IGNORE_MARKER } from "./inline-ignore.js";
import type { ByteHits } from "./keyword-scanner.js";
import type { SecretDetector } from "./secret-detector.js";

/** Bytes read at a time: large enough that the windows' overlap costs little (CWE-770: memory is a few chunks). */
export const STREAM_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Bound on a detector's `maxSpan`: the windows overlap by the longest span, and a span past this
 * would make every window's overlap a large part of its bytes. The longest today is a PEM private key
 * block (32 KiB body bound plus its BEGIN/END lines); a detector that needs more fails loudly.
 */
export const MAX_DETECTOR_SPAN_CHARS = 64 * 1024;

/** Keyword occurrences kept per chunk; past it (dense text) the whole window is scanned (CWE-770). */
const MAX_HITS_PER_CHUNK = 64 * 1024;

/** How much of a line around a match is searched for the inline ignore marker (as for whole texts). */
const INLINE_IGNORE_SEARCH_BYTES = 4096;

/** Options of `streamSecrets`. */
export interface StreamSecretsOptions {
  detectors: readonly SecretDetector[];
  /** The ranges to read, sorted and disjoint (the whole source, less tensor data). */
  spans: readonly ByteSpan[];
  /** Count lines, so matches get a 1-based `line` and `column` (bytes from the line's start, plus 1). */
  lines: boolean;
  /** Skip key-name detectors (lock files). */
  skipContextual: boolean;
  /** Matches kept per decoded text (CWE-770). */
  maxMatches: number;
  /** Chunk size (tests use small chunks to put secrets across boundaries). */
  chunkBytes?: number;
}

/** A secret found in the byte stream, located in the source. */
export interface StreamedSecret {
  match: DetectedSecret;
  /** Byte offset of the secret in the source. */
  offset: number;
  line?: number;
  column?: number;
  /** True when the match's line carries the inline ignore marker. */
  inlineIgnored: boolean;
}

interface Chunk {
  start: number;
  bytes: Uint8Array;
  hits: ByteHits;
  /** Newlines before the chunk, and where the last of them is (-1: none); only when counting lines. */
  newlinesBefore: number;
  lastNewlineBefore: number;
}

const asciiDecoder = new TextDecoder("latin1");
const utf16Decoder = new TextDecoder("utf-16le");

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) > 0x7f) return false;
  return true;
}

/**
 * Bytes as text, one character per byte (Latin-1): offsets in the text are offsets in the bytes,
 * and every detector looks for ASCII. Pure ASCII takes the decoder's fast path; other bytes are
 * widened to UTF-16 code units, which decodes to the same characters.
 */
function bytesAsText(bytes: Uint8Array): string {
  if (isAscii(bytes)) return asciiDecoder.decode(bytes);
  const wide = new Uint16Array(bytes.length);
  wide.set(bytes);
  return utf16Decoder.decode(wide);
}

/**
 * How far around each keyword to decode, per keyword id: twice the longest span of the detectors
 * that need it. A match lies within its detector's span of one of its keywords and is decided on the
 * characters within that span of it, so twice the span around every keyword holds all of them.
 */
function radii(detectors: readonly SecretDetector[]): number[] {
  const { scanner, owners } = prepareDetectors(detectors);
  return scanner.keywords.map((_kw, id) => {
    let span = 0;
    for (const d of owners[id] ?? []) span = Math.max(span, (detectors[d] as SecretDetector).maxSpan);
    return 2 * span;
  });
}

/**
 * The longest span of the detectors, checked against `MAX_DETECTOR_SPAN_CHARS`: the overlap the
 * windows of a whole-file scan need.
 */
export function windowOverlap(detectors: readonly SecretDetector[]): number {
  let longest = 0;
  for (const d of detectors) {
    if (!Number.isFinite(d.maxSpan) || d.maxSpan > MAX_DETECTOR_SPAN_CHARS) {
      throw new Error(
        `secrets detector ${d.id}: span ${d.maxSpan} is not a finite number up to ${MAX_DETECTOR_SPAN_CHARS}`,
      );
    }
    longest = Math.max(longest, d.maxSpan);
  }
  return longest;
}

/**
 * Finds secrets anywhere in the given byte ranges of a source, reading it in chunks, so memory stays
 * a few chunks whatever the size. One keyword automaton pass streams over every byte (its state
 * carries over chunk boundaries); only the bytes around keyword occurrences are decoded and handed
 * to the detectors, which makes binary data cheap and text as fast as the text check.
 *
 * Each chunk `[a, b)` is judged in a window `[a - C, b + C)`, C being the detectors' longest span
 * (`windowOverlap`), and keeps only the matches that start inside `[a, b)`. A match is decided on
 * characters within C of its start, so it is decided in its window exactly as in one text of the
 * whole file: none is lost at a chunk boundary and none is reported twice.
 */
export async function* streamSecrets(
  source: ByteSource,
  options: StreamSecretsOptions,
): AsyncGenerator<StreamedSecret> {
  const overlap = windowOverlap(options.detectors);
  const chunkBytes = Math.max(options.chunkBytes ?? STREAM_CHUNK_BYTES, overlap);
  const { scanner } = prepareDetectors(options.detectors);
  const radius = radii(options.detectors);
  const keywordLength = scanner.keywords.map((k) => k.length);
  for (const span of options.spans) {
    let state = 0;
    let newlines = 0;
    let lastNewline = -1;
    let prev: Chunk | undefined;
    let cur: Chunk | undefined;
    for (let at = span.start; ; ) {
      let next: Chunk | undefined;
      if (at < span.end) {
        // Copied: a source may hand out views of a buffer it reuses, and chunks are kept across reads.
        const bytes = (await readFully(source, at, Math.min(chunkBytes, span.end - at))).slice();
        if (bytes.length === 0) break;
        const hits: ByteHits = { ends: [], ids: [], overflow: false };
        state = scanner.feedBytes(bytes, state, at, hits, MAX_HITS_PER_CHUNK);
        next = { start: at, bytes, hits, newlinesBefore: newlines, lastNewlineBefore: lastNewline };
        if (options.lines) {
          for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) {
            newlines++;
            lastNewline = at + i;
          }
        }
        at += bytes.length;
      }
      if (cur) {
        yield* scanWindow(prev, cur, next, overlap, radius, keywordLength, options);
      }
      if (!next) break;
      prev = cur;
      cur = next;
    }
  }
}

/** The matches starting in `cur`, judged with up to `overlap` bytes of its neighbours on each side. */
function* scanWindow(
  prev: Chunk | undefined,
  cur: Chunk,
  next: Chunk | undefined,
  overlap: number,
  radius: readonly number[],
  keywordLength: readonly number[],
  options: StreamSecretsOptions,
): Generator<StreamedSecret> {
  const a = cur.start;
  const b = a + cur.bytes.length;
  const extStart = prev ? Math.max(prev.start, a - overlap) : a;
  const extEnd = next ? Math.min(next.start + next.bytes.length, b + overlap) : b;
  // Keyword occurrences lying wholly inside the window.
  const starts: number[] = [];
  const ends: number[] = [];
  let dense = false;
  for (const chunk of [prev, cur, next]) {
    if (!chunk) continue;
    dense ||= chunk.hits.overflow;
    const { ends: hitEnds, ids } = chunk.hits;
    for (let i = 0; i < hitEnds.length && !dense; i++) {
      const id = ids[i] as number;
      const end = hitEnds[i] as number;
      const start = end - (keywordLength[id] as number);
      if (start < extStart || end > extEnd) continue;
      starts.push(start - (radius[id] as number));
      ends.push(end + (radius[id] as number));
    }
  }
  if (!dense && starts.length === 0) return; // no keyword: no detector could match here
  const window = new Uint8Array(extEnd - extStart);
  for (const chunk of [prev, cur, next]) {
    if (!chunk) continue;
    const from = Math.max(chunk.start, extStart);
    const to = Math.min(chunk.start + chunk.bytes.length, extEnd);
    if (from < to) window.set(chunk.bytes.subarray(from - chunk.start, to - chunk.start), from - extStart);
  }
  const lines = options.lines ? new LineCursor(cur) : undefined;
  for (const [from, to] of intervals(starts, ends, extStart, extEnd, dense)) {
    const text = bytesAsText(window.subarray(from - extStart, to - extStart));
    const matches = findSecrets(text, options.detectors, {
      skipContextual: options.skipContextual,
      maxMatches: options.maxMatches,
    });
    for (const match of matches) {
      const offset = from + match.start;
      if (offset < a || offset >= b) continue; // another window's
      const found: StreamedSecret = {
        match,
        offset,
        inlineIgnored: lineHasMarker(window, offset - extStart),
      };
      if (lines) Object.assign(found, lines.locate(offset));
      yield found;
    }
  }
}

/**
 * The merged ranges `[starts[i], ends[i])` clipped to the window, or the whole window when the
 * keywords are dense (most text): one decode then beats many.
 */
function intervals(
  starts: number[],
  ends: number[],
  extStart: number,
  extEnd: number,
  dense: boolean,
): [number, number][] {
  if (dense) return [[extStart, extEnd]];
  const order = starts.map((_s, i) => i).sort((x, y) => (starts[x] as number) - (starts[y] as number));
  const out: [number, number][] = [];
  let total = 0;
  for (const i of order) {
    const from = Math.max(extStart, starts[i] as number);
    const to = Math.min(extEnd, ends[i] as number);
    const last = out[out.length - 1];
    if (last && from <= last[1]) {
      total += Math.max(0, to - last[1]);
      last[1] = Math.max(last[1], to);
    } else {
      out.push([from, to]);
      total += to - from;
    }
  }
  return total * 2 > extEnd - extStart ? [[extStart, extEnd]] : out;
}

/** True when the line holding `at` (bounded around it, as for whole texts) carries the inline ignore marker. */
function lineHasMarker(window: Uint8Array, at: number): boolean {
  let from = at;
  while (from > 0 && at - from < INLINE_IGNORE_SEARCH_BYTES && window[from - 1] !== 10) from--;
  let to = at;
  while (to < window.length && to - at < INLINE_IGNORE_SEARCH_BYTES && window[to] !== 10) to++;
  return bytesAsText(window.subarray(from, to)).includes(INLINE_IGNORE_MARKER);
}

/**
 * Lines and columns of offsets inside one chunk, asked in increasing order (matches come sorted):
 * one pass over the chunk in all, from the newlines counted before it.
 */
class LineCursor {
  private line: number;
  private lineStart: number;
  private pos = 0;

  constructor(private readonly chunk: Chunk) {
    this.line = chunk.newlinesBefore + 1;
    this.lineStart = chunk.lastNewlineBefore + 1;
  }

  locate(offset: number): { line: number; column: number } {
    const { bytes, start } = this.chunk;
    const upto = offset - start;
    for (let i = bytes.indexOf(10, this.pos); i >= 0 && i < upto; i = bytes.indexOf(10, i + 1)) {
      this.line++;
      this.lineStart = start + i + 1;
    }
    this.pos = Math.max(this.pos, upto);
    return { line: this.line, column: offset - this.lineStart + 1 };
  }
}
