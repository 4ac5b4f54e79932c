import { join } from "node:path";
import { build } from "vite";

/** This package's folder (where vite.config.ts is). */
export const packageDir = join(import.meta.dirname, "..");

/**
 * Builds the pages into `outDir` as for production. Vitest sets NODE_ENV=test, which would bundle
 * Preact's debug build, so NODE_ENV is production while vite builds and restored after.
 */
export async function buildPages(outDir: string): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ root: packageDir, logLevel: "warn", build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
