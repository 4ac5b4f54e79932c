/** Where clamd listens: a unix socket or a TCP port. */
export type ClamdAddress = { kind: "unix"; path: string } | { kind: "tcp"; host: string; port: number };

/**
 * Parses `unix:/path/to/clamd.sock` or `tcp://host:port` (IPv6 hosts in brackets: `tcp://[::1]:3310`),
 * the forms `--clamd` takes. Throws a `TypeError` naming the accepted forms for anything else.
 */
export function parseClamdAddress(text: string): ClamdAddress {
  if (text.startsWith("unix:")) {
    const path = text.slice("unix:".length);
    if (path.length === 0) throw new TypeError(`clamd address "${text}" has no socket path`);
    return { kind: "unix", path };
  }
  const tcp = /^tcp:\/\/(?:\[([^\]]+)\]|([^:/[\]]+)):(\d{1,5})$/.exec(text);
  const port = Number(tcp?.[3]);
  const host = tcp?.[1] ?? tcp?.[2];
  if (host !== undefined && port >= 1 && port <= 65535) return { kind: "tcp", host, port };
  throw new TypeError(`clamd address "${text}" is neither unix:/path nor tcp://host:port`);
}

/** The address as `--clamd` spells it, for messages and the report summary. */
export function formatClamdAddress(address: ClamdAddress): string {
  if (address.kind === "unix") return `unix:${address.path}`;
  return `tcp://${address.host.includes(":") ? `[${address.host}]` : address.host}:${address.port}`;
}
