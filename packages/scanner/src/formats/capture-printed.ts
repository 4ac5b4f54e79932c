/** The console methods a dependency may print with. */
const METHODS = ["log", "info", "warn", "error", "debug"] as const;

/**
 * Runs a synchronous call into a dependency with the console's printing methods replaced, and
 * returns what it printed (one string a call) beside its result. jsfive prints warnings that quote
 * attribute names of the scanned file (`Attribute <name> type not implemented, set to null.`):
 * printed raw, a hostile name would reach the user's terminal. The console is restored even when
 * the call throws; the call is synchronous, so nothing else can print meanwhile.
 */
export function capturePrinted<T>(call: () => T): { value: T; printed: string[] } {
  const printed: string[] = [];
  const saved = METHODS.map((m) => console[m]);
  for (const m of METHODS) console[m] = (...data: unknown[]) => printed.push(data.map(String).join(" "));
  try {
    return { value: call(), printed };
  } finally {
    METHODS.forEach((m, i) => {
      console[m] = saved[i] as Console[typeof m];
    });
  }
}
