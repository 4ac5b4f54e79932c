import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { basename, dirname } from "node:path";
import type { Readable } from "node:stream";
import { HUB_FIXED_LIMITS } from "../limits.js";

/** What one smart-HTTP request asks of git: which service path, and the request's CGI facts. */
export interface HttpBackendRequest {
  /** The bare repository. */
  gitDir: string;
  /** `/info/refs`, `/git-upload-pack` or `/git-receive-pack`. */
  service: "/info/refs" | "/git-upload-pack" | "/git-receive-pack";
  method: "GET" | "POST";
  query: string;
  /** The request as Node received it (headers; the body is read from `body`). */
  raw: IncomingMessage;
  body: Readable | undefined;
  /** Name of the authenticated user (enables receive-pack), if any. */
  user: string | undefined;
  /** Extra git configuration for this request (`core.hooksPath`, `receive.fsckObjects`...). */
  config: Record<string, string>;
  /** Extra environment (what the pre-receive hook needs to call the hub back). */
  env: Record<string, string>;
}

/** Largest CGI header block accepted from git http-backend before the body starts. */
const MAX_CGI_HEADER_BYTES = HUB_FIXED_LIMITS.maxCgiHeaderBytes;

/**
 * Serves one git smart-HTTP request (protocol v0 and v2) with the real `git http-backend`, as a CGI
 * program: the request body is streamed to it, its answer streamed back, nothing buffered whole.
 * Authentication and authorisation happen before this is called; git only speaks the protocol.
 */
export function runHttpBackend(request: HttpBackendRequest, response: ServerResponse): Promise<void> {
  const { raw } = request;
  const config = Object.entries(request.config);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    LC_ALL: "C",
    GIT_PROJECT_ROOT: dirname(request.gitDir),
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: `/${basename(request.gitDir)}${request.service}`,
    REQUEST_METHOD: request.method,
    QUERY_STRING: request.query,
    REMOTE_ADDR: raw.socket.remoteAddress ?? "",
    GIT_CONFIG_COUNT: String(config.length),
    ...Object.fromEntries(
      config.flatMap(([key, value], i) => [
        [`GIT_CONFIG_KEY_${i}`, key],
        [`GIT_CONFIG_VALUE_${i}`, value],
      ]),
    ),
    ...request.env,
  };
  const header = (name: string) => {
    const v = raw.headers[name];
    return typeof v === "string" ? v : undefined;
  };
  const optional: [string, string | undefined][] = [
    ["CONTENT_TYPE", header("content-type")],
    ["CONTENT_LENGTH", header("content-length")],
    // git clients gzip large request bodies; http-backend inflates them itself.
    ["HTTP_CONTENT_ENCODING", header("content-encoding")],
    // Protocol v2 is asked for with this header.
    ["GIT_PROTOCOL", header("git-protocol")],
    ["REMOTE_USER", request.user],
  ];
  for (const [k, v] of optional) if (v !== undefined) env[k] = v;

  return new Promise((resolve) => {
    const child = spawn("git", ["http-backend"], { env, stdio: ["pipe", "pipe", "pipe"] });
    const stderr: Buffer[] = [];
    child.stderr.on("data", (d: Buffer) => stderr.push(d));
    child.stdin.on("error", () => {}); // git may answer (and exit) before reading the whole body
    if (request.body) request.body.pipe(child.stdin);
    else child.stdin.end();

    let head = Buffer.alloc(0);
    let started = false;
    const fail = (status: number, message: string) => {
      if (!response.headersSent) {
        response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
        response.end(`${message}\n`);
      } else response.destroy();
    };
    child.stdout.on("data", (chunk: Buffer) => {
      if (started) {
        if (!response.write(chunk)) {
          child.stdout.pause();
          response.once("drain", () => child.stdout.resume());
        }
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = cgiHeaderEnd(head);
      if (end === undefined) {
        if (head.length > MAX_CGI_HEADER_BYTES) {
          child.kill();
          fail(502, "git http-backend answered an oversized header");
        }
        return;
      }
      started = true;
      const { status, headers } = parseCgiHeaders(head.subarray(0, end.headerEnd).toString("latin1"));
      response.writeHead(status, headers);
      const rest = head.subarray(end.bodyStart);
      if (rest.length > 0) response.write(rest);
    });
    child.on("error", (err) => {
      fail(500, `git http-backend could not run: ${err.message}`);
      resolve();
    });
    child.on("close", (code) => {
      if (!started)
        fail(
          500,
          `git http-backend failed (exit ${code}): ${Buffer.concat(stderr).toString("utf8").slice(0, 300)}`,
        );
      else response.end();
      resolve();
    });
    response.on("close", () => {
      if (child.exitCode === null) child.kill();
    });
  });
}

/** Where the CGI header block ends (`\r\n\r\n` or `\n\n`) and the body starts. */
function cgiHeaderEnd(buf: Buffer): { headerEnd: number; bodyStart: number } | undefined {
  const crlf = buf.indexOf("\r\n\r\n");
  const lf = buf.indexOf("\n\n");
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { headerEnd: crlf, bodyStart: crlf + 4 };
  if (lf >= 0) return { headerEnd: lf, bodyStart: lf + 2 };
  return undefined;
}

/** CGI headers: `Status: 404 Not Found` sets the status, the rest pass through. */
export function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers };
}
