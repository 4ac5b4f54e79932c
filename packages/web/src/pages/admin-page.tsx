import { useState } from "preact/hooks";
import { useAuth } from "../auth/auth";
import { SettingsFrame } from "../components/settings-frame";
import { formatDate } from "../format";
import { useLoad, useTitle } from "../use-load";

interface UserRow {
  name: string;
  isAdmin: boolean;
  twoFactor: boolean;
  hasPassword: boolean;
  createdAt: string;
}

/** Hub administration: create users with a password, make invitation links, list users. */
export function AdminPage() {
  useTitle("Administration");
  return (
    <SettingsFrame title="Administration">
      {(user) => (user.isAdmin ? <Admin /> : <p role="alert">Only hub administrators can see this page.</p>)}
    </SettingsFrame>
  );
}

function Admin() {
  const { api, viewer } = useAuth();
  const [version, setVersion] = useState(0);
  const users = useLoad((signal) => api.getJson<UserRow[]>("/api/admin/users", signal), [viewer, version]);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [org, setOrg] = useState("");
  const [invite, setInvite] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const fail = (err: unknown) => setError(err instanceof Error ? err.message : String(err));
  return (
    <>
      <h2>New user</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setError(undefined);
          api
            .send("POST", "/api/admin/users", { name: name.trim(), password, ...(org ? { org } : {}) })
            .then(() => {
              setName("");
              setPassword("");
              setVersion(version + 1);
            }, fail);
        }}
      >
        <label for="admin-user">User name</label>
        <input id="admin-user" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="admin-password">Password (at least 10 characters)</label>
        <input
          id="admin-password"
          type="password"
          autocomplete="new-password"
          required
          minLength={10}
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <label for="admin-org">Organisation (optional)</label>
        <input id="admin-org" value={org} onInput={(e) => setOrg(e.currentTarget.value)} />
        <button type="submit">Create user</button>
      </form>
      <h2>Invitation</h2>
      <button
        type="button"
        onClick={() =>
          api
            .send<{ url: string }>("POST", "/api/admin/invitations", org ? { org } : {})
            .then((a) => setInvite(a.url), fail)
        }
      >
        Make an invitation link{org ? ` to ${org}` : ""}
      </button>
      {invite && (
        <p role="status">
          One-time link, valid 7 days: <code id="invitation-url">{invite}</code>
        </p>
      )}
      {error && (
        <p class="text-danger" role="alert">
          {error}
        </p>
      )}
      <h2>Users</h2>
      {users.state === "done" && (
        <div class="table-scroll">
          <table aria-label="Users">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Admin</th>
                <th scope="col">Password</th>
                <th scope="col">Two-factor</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => (
                <tr key={u.name}>
                  <td>{u.name}</td>
                  <td>{u.isAdmin ? "yes" : "no"}</td>
                  <td>{u.hasPassword ? "set" : "tokens only"}</td>
                  <td>{u.twoFactor ? "on" : "off"}</td>
                  <td>{formatDate(u.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
