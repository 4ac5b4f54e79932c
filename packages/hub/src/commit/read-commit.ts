import { badInput, HubError } from "../hub-error.js";
import type { HubLimits } from "../limits.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { Base64Decoder } from "./base64-decoder.js";
import { CommitLineLexer, LexError, type LexEvent } from "./commit-line-lexer.js";
import { InlineFileSink } from "./inline-file-sink.js";
import {
  type CommitOperation,
  fileLinePath,
  invalidBase64,
  type ParsedCommit,
  parseHeader,
  parseLine,
  parseOperation,
} from "./parse-commit.js";

/** An inline file larger than this is spooled to disk as it arrives, never held whole in memory. */
export const INLINE_FILE_MEMORY_BYTES = HUB_FIXED_LIMITS.inlineFileMemoryBytes;

/** Where `readCommit` checks its bounds and puts large inline files. */
export interface ReadCommitOptions {
  limits: HubLimits;
  /** Spool files go here. */
  tmpDir: string;
  /** The repository: large inline files are written to it as blobs while the body is read. */
  gitDir: string;
}

/**
 * Reads the Hub's NDJSON commit body as it streams in: a `header` line, then `file`, `lfsFile`,
 * `deletedFile` and `deletedFolder` lines. Each line is parsed as soon as it ends; the base64 of a
 * `file` line is decoded and hashed in pieces as it arrives (kept in memory up to 1 MiB per file and
 * `limits.inlineMemoryBytes` per commit, written to git as a blob beyond that), so memory does not
 * grow with the body and no step holds the event loop for longer than one network chunk takes.
 * Checks everything the old whole-body parser checked: paths, strict base64, oids, the body, line and
 * operation bounds, duplicate paths. Throws a 400 (413 for sizes) `HubError` naming the line.
 */
export async function readCommit(
  body: AsyncIterable<Uint8Array>,
  options: ReadCommitOptions,
): Promise<ParsedCommit> {
  const { limits } = options;
  const lexer = new CommitLineLexer(limits.maxCommitLineBytes, limits.maxCommitLineTextBytes);
  let header: ParsedCommit | undefined;
  let lineNumber = 0;
  let bodyBytes = 0;
  let inMemory = 0;
  let content: { decoder: Base64Decoder; sink: InlineFileSink; error?: unknown } | undefined;
  const seen = new Set<string>();

  const dropContent = async () => {
    const sink = content?.sink;
    content = undefined;
    await sink?.discard();
  };

  const endLine = async (json: string) => {
    lineNumber++;
    const where = `line ${lineNumber}`;
    const { key, value } = parseLine(json, where);
    if (lineNumber === 1) {
      if (key !== "header") throw badInput(`${where}: the first line must be the header`);
      header = parseHeader(value, where);
      await dropContent();
      return;
    }
    if (!header) return;
    if (header.operations.length >= limits.maxCommitOperations) {
      throw badInput(`too many operations: more than ${limits.maxCommitOperations}`);
    }
    let op: CommitOperation;
    if (key === "file" && content) {
      const path = fileLinePath(value, where, limits);
      const { decoder, sink } = content;
      try {
        if (content.error !== undefined) throw content.error;
        await sink.write(decoder.end());
      } catch (err) {
        throw invalidBase64(err, where, path);
      }
      content = undefined;
      const file = await sink.finish(options.gitDir);
      if (file.stored) {
        op = { kind: "storedFile", path, oid: file.oid, sha256: file.sha256, size: file.size };
      } else {
        inMemory += file.content.length;
        op = { kind: "file", path, content: file.content };
      }
    } else {
      await dropContent();
      op = parseOperation(key, value, where, limits);
    }
    if (seen.has(op.path)) throw badInput(`${where}: ${op.path} appears twice in this commit`);
    seen.add(op.path);
    header.operations.push(op);
  };

  const consume = async (events: Iterable<LexEvent>) => {
    for (const event of events) {
      if (event.type === "contentStart") {
        if (content) {
          await dropContent();
          throw badInput(`line ${lineNumber + 1}: content appears twice`);
        }
        const budget = Math.max(0, limits.inlineMemoryBytes - inMemory);
        content = {
          decoder: new Base64Decoder(),
          sink: new InlineFileSink(options.tmpDir, Math.min(INLINE_FILE_MEMORY_BYTES, budget)),
        };
      } else if (event.type === "content") {
        // A base64 error is kept until the line ends, where it is reported with the file's path.
        if (content && content.error === undefined) {
          try {
            await content.sink.write(content.decoder.push(event.bytes));
          } catch (err) {
            content.error = err;
          }
        }
      } else if (event.type === "line") {
        await endLine(event.json);
      }
    }
  };

  try {
    for await (const chunk of body) {
      bodyBytes += chunk.length;
      if (bodyBytes > limits.maxCommitBodyBytes) {
        throw new HubError(
          413,
          "PayloadTooLarge",
          `the commit body is larger than ${limits.maxCommitBodyBytes} bytes`,
        );
      }
      await consume(lexer.feed(chunk));
    }
    await consume(lexer.end());
  } catch (err) {
    await dropContent();
    if (err instanceof LexError) {
      throw err.tooLarge ? new HubError(413, "PayloadTooLarge", err.message) : badInput(err.message);
    }
    throw err;
  }
  if (!header) throw badInput("empty commit body: a header line is required");
  const parsed: ParsedCommit = header;
  if (parsed.operations.length === 0) throw badInput("a commit needs at least one operation");
  return parsed;
}
