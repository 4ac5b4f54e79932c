/**
 * Reads a boolean query parameter as the clients send it: `true` from the JS client, `True` from
 * Python's requests (which writes Python booleans with a capital), `1` from hand-written URLs.
 */
export function queryFlag(value: unknown): boolean {
  return typeof value === "string" && (value.toLowerCase() === "true" || value === "1");
}
