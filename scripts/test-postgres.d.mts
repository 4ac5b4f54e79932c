// Types of scripts/test-postgres.mjs, for the hub tests' global setup.
export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust authentication). */
  url: string;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

export function startTestPostgres(): Promise<TestPostgres>;
