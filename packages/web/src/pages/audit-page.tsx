import type { AuditRecord } from "../api/types";
import { useAuth } from "../auth/auth";
import { AuditTable } from "../components/audit-table";
import { SettingsFrame } from "../components/settings-frame";
import { useLoad, useTitle } from "../use-load";

/** The signed-in user's audit log (also as JSON at `/api/settings/audit-log`). */
export function AuditPage() {
  useTitle("Audit log");
  return <SettingsFrame title="Audit log">{() => <Audit />}</SettingsFrame>;
}

function Audit() {
  const { api, viewer } = useAuth();
  const log = useLoad((signal) => api.getJson<AuditRecord[]>("/api/settings/audit-log", signal), [viewer]);
  return (
    <>
      <p>
        Sign-ins, two-factor changes, tokens, refused pushes and quarantine overrides; entries cannot be
        changed or removed. <a href="/api/settings/audit-log">JSON</a>
      </p>
      {log.state === "done" && <AuditTable entries={log.data} label="Your audit log" />}
      {log.state === "failed" && <p role="alert">{log.error.message}</p>}
    </>
  );
}
