import { regexDetector } from "../regex-detector.js";

/** Passwords that tutorials, compose files and CI services use: defaults, not leaks. */
const DEFAULT_PASSWORDS = new Set([
  "password",
  "passwd",
  "pass",
  "secret",
  "postgres",
  "mysql",
  "root",
  "admin",
  "guest",
  "user",
  "redis",
  "mongo",
  "default",
  "pwd",
]);

/** Documentation hosts (RFC 2606) and template hosts: `db.example.com`, `${DB_HOST}`. */
const EXAMPLE_HOST = /(?:^|\.)example(?:\.[a-z]+)?$|^(?:host|hostname|your[_-]?host)$/i;

/** Hosts on the developer's own machine or a compose network: a leak there is far less serious. */
const LOCAL_HOST = /^(?:localhost|127\.[0-9.]+|0\.0\.0\.0|\[::1\]|host\.docker\.internal|[A-Za-z0-9_-]+)$/;

/**
 * Database and broker URLs with an embedded password (`postgresql://app:…@db.example.net/prod`).
 * `dangerous` for a remote host, `suspicious` for localhost or a single-label (compose service) host.
 */
export const databaseUrl = regexDetector({
  id: "database-url",
  title: "database URL with a password",
  severity: "dangerous",
  keywords: ["://"],
  // Starts at `://` (a literal, searched fast) and checks the scheme behind it.
  before:
    /(?<![A-Za-z0-9+.-])(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse)(?:\+[a-z0-9]{1,20})?$/,
  pattern:
    /:\/\/(?<user>[^\s:@/"'`<>]{1,64}):(?<secret>[^\s@/"'`<>]{3,128})@(?<host>\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9_.-]{1,253})/g,
  verify: (secret, g) =>
    !DEFAULT_PASSWORDS.has(secret.toLowerCase()) &&
    secret !== g.user &&
    !/^[*x.%$]+$/i.test(secret) &&
    !EXAMPLE_HOST.test(g.host ?? ""),
  severityOf: (_s, g) => (LOCAL_HOST.test(g.host ?? "") ? "suspicious" : "dangerous"),
});
