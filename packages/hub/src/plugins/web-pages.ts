import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { REPO_TYPE_ROUTES } from "../routes/repo-types.js";

/**
 * The pages' policy: scripts, styles, workers and API calls from this origin only; no inline script,
 * no framing. The pages render no HTML from data, and this keeps a slip from becoming an XSS.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Page routes as on the Hugging Face Hub; each answers the app's `index.html` (the app routes itself). */
const PAGE_ROUTES = [
  "/:ns/:repo",
  "/:ns/:repo/tree/*",
  "/:ns/:repo/blob/*",
  "/:ns/:repo/commits",
  "/:ns/:repo/commits/*",
  "/:ns/:repo/discussions",
  "/:ns/:repo/discussions/:num",
];

/** The built pages of `@modelgate/web` (`dist/www`), when that package is installed and built. */
export function defaultWebDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve("@modelgate/web/package.json");
    return join(dirname(pkg), "dist", "www");
  } catch {
    return undefined;
  }
}

/**
 * Serves the web pages at `/`: hashed assets under `/assets/` (cached for a year), and `index.html`
 * for the home page and every page route (`/{ns}/{repo}`, `/tree/`, `/blob/`, `/commits/`, datasets
 * under `/datasets/`). Without a built `webDir` the hub is API-only.
 */
export async function webPagesPlugin(app: FastifyInstance, webDir: string | undefined): Promise<void> {
  const indexFile = webDir ? join(webDir, "index.html") : undefined;
  if (!webDir || !indexFile || !existsSync(indexFile)) return;
  const index = readFileSync(indexFile);
  await app.register(fastifyStatic, {
    root: join(webDir, "assets"),
    prefix: "/assets/",
    immutable: true,
    maxAge: "365d",
    index: false,
    setHeaders: (res) => res.setHeader("X-Content-Type-Options", "nosniff"),
  });
  const sendIndex = (request: FastifyRequest<{ Params: { ns?: string } }>, reply: FastifyReply) => {
    // `/api/...` is never a repository: an unknown API route stays a JSON 404.
    if (request.params.ns === "api") return reply.callNotFound();
    return reply
      .header("Content-Type", "text/html; charset=utf-8")
      .header("Cache-Control", "no-cache")
      .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
      .header("X-Content-Type-Options", "nosniff")
      .header("Referrer-Policy", "same-origin")
      .send(index);
  };
  app.get("/", sendIndex);
  app.get("/sign-in", sendIndex);
  app.get("/sign-up", sendIndex);
  app.get("/settings/:section", sendIndex);
  app.get("/organizations/:org/settings", sendIndex);
  for (const t of REPO_TYPE_ROUTES) {
    for (const route of PAGE_ROUTES) app.get(`${t.web}${route}`, sendIndex);
  }
}
