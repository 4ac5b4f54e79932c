/** A problem with how the command was called or with a file it was pointed at: exit status 2. */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UsageError";
  }
}

/** Exit status for usage and I/O problems (0 and 1 are verdicts). */
export const EXIT_USAGE = 2;
