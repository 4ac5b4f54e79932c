/**
 * The scan worker module beside this one: `scan-worker.mjs` in the bundle (dist/bundle/), whose
 * modules end in `.mjs`, and `scan-worker.js` in the compiled tree (dist/).
 */
export function scanWorkerEntry(): URL {
  const ext = import.meta.url.endsWith(".mjs") ? ".mjs" : ".js";
  return new URL(`./scan-worker${ext}`, import.meta.url);
}
