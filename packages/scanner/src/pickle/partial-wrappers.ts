/**
 * `functools.partial` stores a callable and arguments for later; pickled, it is
 * `partial(func)` then BUILD with `(func, args, kwds, dict)`. It is as safe as the callable it wraps:
 * a partial of an allowlisted class is innocuous, a partial of anything else is judged by the policy.
 */
const PARTIALS: ReadonlySet<string> = new Set(["functools\npartial", "_functools\npartial"]);

/** True for `functools.partial` and its C twin. */
export function isPartial(module: string, name: string): boolean {
  return PARTIALS.has(`${module}\n${name}`);
}

/** The partial names of `module` (`partial` for `functools`). */
export function partialNames(module: string): string[] {
  return [...PARTIALS].filter((k) => k.startsWith(`${module}\n`)).map((k) => k.slice(module.length + 1));
}
