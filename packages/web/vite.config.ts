import { defineConfig } from "vite";

// Preact through esbuild's automatic JSX runtime: no Babel plugin needed. The hub serves `dist/www`.
const hub = process.env.MODELGATE_HUB ?? "http://127.0.0.1:8080";

export default defineConfig({
  root: import.meta.dirname,
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: { outDir: "dist/www", emptyOutDir: true, target: "es2022" },
  worker: { format: "es" },
  // `npm run dev -w @modelgate/web`: pages from Vite, API and downloads from a running hub.
  server: { proxy: { "/api": hub, "^/.+/resolve/": hub } },
});
