import { escapeControl } from "@modelgate/scanner";

/**
 * Routes everything printed through the console (by dependencies: modelgate itself writes to the
 * streams) to stderr, one line per call, prefixed and with control characters escaped. The scanner
 * already captures what its parsers' dependencies print; this catches anything else, so that text
 * from a scanned file never reaches the terminal raw and stdout stays the report alone.
 */
export function filterConsole(): void {
  const write = (...data: unknown[]) => {
    process.stderr.write(`modelgate: dependency: ${escapeControl(data.map(String).join(" "))}\n`);
  };
  for (const method of ["log", "info", "warn", "error", "debug"] as const) console[method] = write;
}
