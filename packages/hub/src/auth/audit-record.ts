/**
 * An audit log entry as the API answers it and the pages show it. Types only: the web package imports
 * it (`@modelgate/hub/audit-record`) without bundling any of the server.
 */
export interface AuditRecord {
  id: number;
  kind: string;
  actor: string | null;
  address: string | null;
  createdAt: string;
  detail: Record<string, unknown>;
}
