import { useEffect, useState } from "preact/hooks";
import type { AuditRecord } from "../api/types";
import { useAuth } from "../auth/auth";
import { AuditTable } from "../components/audit-table";
import { BranchRulesForm } from "../components/branch-rules-form";
import { SettingsFrame } from "../components/settings-frame";
import { useLoad, useTitle } from "../use-load";

interface OrgSettings {
  name: string;
  require2fa: boolean;
  policy: string | null;
  quarantine: boolean | null;
  members: { name: string; role: string; twoFactor: boolean }[];
}

/** An organisation's settings for its admins: require 2FA, branch rules, members and their 2FA, its audit log. */
export function OrgSettingsPage(props: { org: string }) {
  useTitle(`${props.org} settings`);
  return <SettingsFrame title={`${props.org} settings`}>{() => <Org org={props.org} />}</SettingsFrame>;
}

function Org(props: { org: string }) {
  const { api, viewer } = useAuth();
  const [version, setVersion] = useState(0);
  const base = `/api/organizations/${encodeURIComponent(props.org)}`;
  const settings = useLoad(
    (signal) => api.getJson<OrgSettings>(`${base}/settings`, signal),
    [viewer, version],
  );
  const log = useLoad((signal) => api.getJson<AuditRecord[]>(`${base}/audit-log`, signal), [viewer, version]);
  const [error, setError] = useState<string | undefined>(undefined);
  // The box shows what was just chosen while the change is saved, not the old value (a controlled
  // input would snap back until the settings reload).
  const [chosen, setChosen] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    if (settings.state === "done") setChosen(undefined); // the reloaded settings say it now
  }, [settings]);
  if (settings.state === "failed") return <p role="alert">{settings.error.message}</p>;
  if (settings.state === "loading") return <p aria-busy="true">Loading…</p>;
  const s = settings.data;
  return (
    <>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={chosen ?? s.require2fa}
          onChange={(e) => {
            const require2fa = e.currentTarget.checked;
            setChosen(require2fa);
            api.send("PUT", `${base}/settings`, { require2fa }).then(
              () => setVersion(version + 1),
              (err: unknown) => {
                setChosen(undefined);
                setError(err instanceof Error ? err.message : String(err));
              },
            );
          }}
        />{" "}
        Require two-factor authentication of members (members without it cannot write to the organisation's
        repositories until they enrol)
      </label>
      {error && (
        <p class="text-danger" role="alert">
          {error}
        </p>
      )}
      <BranchRulesForm base={`${base}/settings`} />
      <h2>Members</h2>
      <div class="table-scroll">
        <table aria-label="Members">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col">Two-factor</th>
            </tr>
          </thead>
          <tbody>
            {s.members.map((m) => (
              <tr key={m.name}>
                <td>{m.name}</td>
                <td>{m.role}</td>
                <td>{m.twoFactor ? "on" : s.require2fa ? "off: cannot write" : "off"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Audit log</h2>
      {log.state === "done" && <AuditTable entries={log.data} label={`${props.org} audit log`} />}
    </>
  );
}
