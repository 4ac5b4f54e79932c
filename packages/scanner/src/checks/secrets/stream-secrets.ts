import { FIXED_LIMITS } from "../../limits.js";
import { type ByteSource, type ByteSpan, readFully } from "../../reader/byte-source.js";
import { type DetectedSecret, findSecrets, prepareDetectors } from "./find-secrets.js";
import { INLINE_IGNORE_MARKER } from "./inline-ignore.js";
import type { ByteHits } from "./keyword-scanner.js";
import type { SecretDetector } from "./secret-detector.js";

/** Options of `streamSecrets`. */
export interface StreamSecretsOptions {
  detectors: readonly SecretDetector[];
  /** The ranges to read, sorted and disjoint (the whole source, less tensor data). */
  spans: readonly ByteSpan[];
  /** Skip key-name detectors (lock files). */
  skipContextual: boolean;
  /** Matches kept per decoded text (CWE-770). */
  maxMatches: number;
  /** Chunk size (tests use small chunks to put secrets across boundaries; at least the window overlap). */
  chunkBytes?: number;
}

/** A secret found in the byte stream, located in the source. */
export interface StreamedSecret {
  match: DetectedSecret;
  /** Byte offset of the secret in the source. */
  offset: number;
  /** True when the match's line carries the inline ignore marker. */
  inlineIgnored: boolean;
}

interface Chunk {
  start: number;
  bytes: Uint8Array;
  hits: ByteHits;
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

/** What a stream needs of a detector list besides its automaton, worked out once per list. */
interface StreamLayout {
  overlap: number;
  radius: readonly number[];
  keywordLength: readonly number[];
}

const layouts = new WeakMap<readonly SecretDetector[], StreamLayout>();

/**
 * The window overlap, keyword radii and keyword lengths of a detector list, cached per list: a
 * repository scan streams thousands of small files with the same list, and working these out per
 * file was a tenth of the secrets check's time on them.
 */
function streamLayout(detectors: readonly SecretDetector[]): StreamLayout {
  const cached = layouts.get(detectors);
  if (cached) return cached;
  const layout = {
    overlap: windowOverlap(detectors),
    radius: radii(detectors),
    keywordLength: prepareDetectors(detectors).scanner.keywords.map((k) => k.length),
  };
  layouts.set(detectors, layout);
  return layout;
}

/**
 * The longest span of the detectors, checked against `FIXED_LIMITS.maxDetectorSpanChars`: the overlap the
 * windows of a whole-file scan need.
 */
export function windowOverlap(detectors: readonly SecretDetector[]): number {
  let longest = 0;
  for (const d of detectors) {
    if (!Number.isFinite(d.maxSpan) || d.maxSpan > FIXED_LIMITS.maxDetectorSpanChars) {
      throw new Error(
        `secrets detector ${d.id}: span ${d.maxSpan} is not a finite number up to ${FIXED_LIMITS.maxDetectorSpanChars}`,
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
  const { overlap, radius, keywordLength } = streamLayout(options.detectors);
  const chunkBytes = Math.max(options.chunkBytes ?? FIXED_LIMITS.streamChunkBytes, overlap);
  const { scanner } = prepareDetectors(options.detectors);
  // Up to three chunk buffers in turn (the previous, current and next chunk): the stream allocates
  // nothing per chunk, so its memory is the same for a file of any size. No read is longer than the
  // longest span: a small file gets small buffers (three zeroed MiB per file were most of a 2,000-file
  // scan), and only as many as it fills (one for a file that fits in a chunk).
  let longestSpan = 0;
  for (const span of options.spans) longestSpan = Math.max(longestSpan, span.end - span.start);
  const bufferBytes = Math.min(chunkBytes, longestSpan);
  const pool: Uint8Array[] = [];
  let turn = 0;
  for (const span of options.spans) {
    let state = 0;
    let prev: Chunk | undefined;
    let cur: Chunk | undefined;
    for (let at = span.start; ; ) {
      let next: Chunk | undefined;
      if (at < span.end) {
        // Copied: a source may hand out views of a buffer it reuses, and chunks are kept across reads.
        const read = await readFully(source, at, Math.min(chunkBytes, span.end - at));
        if (read.length === 0) break;
        const slot = turn++ % 3;
        pool[slot] ??= new Uint8Array(bufferBytes);
        const buffer = pool[slot];
        buffer.set(read);
        const bytes = buffer.subarray(0, read.length);
        const hits: ByteHits = { ends: [], ids: [], overflow: false };
        state = scanner.feedBytes(bytes, state, at, hits, FIXED_LIMITS.maxKeywordHitsPerChunk);
        next = { start: at, bytes, hits };
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
  const chunks = [prev, cur, next].filter((c): c is Chunk => c !== undefined);
  for (const [from, to] of intervals(starts, ends, extStart, extEnd, dense)) {
    const text = bytesAsText(gather(chunks, from, to));
    const matches = findSecrets(text, options.detectors, {
      skipContextual: options.skipContextual,
      maxMatches: options.maxMatches,
    });
    for (const match of matches) {
      const offset = from + match.start;
      if (offset < a || offset >= b) continue; // another window's
      const around = Math.max(extStart, offset - FIXED_LIMITS.inlineIgnoreSearchChars);
      const line = gather(chunks, around, Math.min(extEnd, offset + FIXED_LIMITS.inlineIgnoreSearchChars));
      yield { match, offset, inlineIgnored: lineHasMarker(line, offset - around) };
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

/** Bytes `[from, to)` of consecutive chunks: a view when one chunk holds them, else a copy. */
function gather(chunks: readonly Chunk[], from: number, to: number): Uint8Array {
  for (const c of chunks) {
    if (from >= c.start && to <= c.start + c.bytes.length)
      return c.bytes.subarray(from - c.start, to - c.start);
  }
  const out = new Uint8Array(to - from);
  for (const c of chunks) {
    const f = Math.max(c.start, from);
    const t = Math.min(c.start + c.bytes.length, to);
    if (f < t) out.set(c.bytes.subarray(f - c.start, t - c.start), f - from);
  }
  return out;
}

/** True when the line holding `at` (bounded around it, as for whole texts) carries the inline ignore marker. */
function lineHasMarker(window: Uint8Array, at: number): boolean {
  let from = at;
  while (from > 0 && at - from < FIXED_LIMITS.inlineIgnoreSearchChars && window[from - 1] !== 10) from--;
  let to = at;
  while (to < window.length && to - at < FIXED_LIMITS.inlineIgnoreSearchChars && window[to] !== 10) to++;
  return bytesAsText(window.subarray(from, to)).includes(INLINE_IGNORE_MARKER);
}
