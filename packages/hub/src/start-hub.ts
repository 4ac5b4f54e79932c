import { buildApp, type HubOptions } from "./app.js";

/** Options of `startHub`: the hub's options plus where to listen. */
export interface StartHubOptions extends Partial<HubOptions> {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Default `./modelgate-data`. */
  dataDir?: string;
}

/** A started hub: its URL and how to stop it. */
export interface RunningHub {
  /** `http://host:port` the hub listens on. */
  url: string;
  close(): Promise<void>;
}

/**
 * `modelgate serve`: starts the hub on `host:port` (default 127.0.0.1:8080) with its data in
 * `dataDir` (default `./modelgate-data`, SQLite and files, nothing else needed).
 */
export async function startHub(options: StartHubOptions = {}): Promise<RunningHub> {
  const app = await buildApp({ ...options, dataDir: options.dataDir ?? "modelgate-data" });
  try {
    await app.listen({ host: options.host ?? "127.0.0.1", port: options.port ?? 8080 });
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? 8080);
  const host = options.host ?? "127.0.0.1";
  return { url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`, close: () => app.close() };
}
