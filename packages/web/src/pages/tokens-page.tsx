import { useState } from "preact/hooks";
import type { TokenItem } from "../api/types";
import { useAuth } from "../auth/auth";
import { type Column, DataTable } from "../components/data-table";
import { SettingsFrame } from "../components/settings-frame";
import { formatDate } from "../format";
import { useLoad, useTitle } from "../use-load";

type Role = TokenItem["role"];

/** Access tokens: create (read, write or fine-grained, optional expiry), list with last use, revoke. */
export function TokensPage() {
  useTitle("Access tokens");
  return <SettingsFrame title="Access tokens">{() => <Tokens />}</SettingsFrame>;
}

function Tokens() {
  const { api, viewer } = useAuth();
  const [version, setVersion] = useState(0);
  const tokens = useLoad(
    (signal) => api.getJson<TokenItem[]>("/api/settings/tokens", signal),
    [viewer, version],
  );
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("read");
  const [repo, setRepo] = useState("");
  const [canWrite, setCanWrite] = useState(false);
  const [expires, setExpires] = useState("");
  const [created, setCreated] = useState<TokenItem | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  const create = (e: Event) => {
    e.preventDefault();
    setError(undefined);
    const body = {
      displayName: name.trim(),
      role,
      ...(expires ? { expiresAt: new Date(`${expires}T23:59:59Z`).toISOString() } : {}),
      ...(role === "fineGrained"
        ? {
            fineGrained: {
              scoped: [
                {
                  entity: repo.includes("/")
                    ? { type: "model", name: repo.trim() }
                    : { type: "org", name: repo.trim() },
                  permissions: canWrite ? ["repo.content.read", "repo.write"] : ["repo.content.read"],
                },
              ],
            },
          }
        : {}),
    };
    api.send<TokenItem>("POST", "/api/settings/tokens", body).then(
      (token) => {
        setCreated(token);
        setName("");
        setVersion(version + 1);
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  };
  const revoke = (id: string) =>
    api.send("DELETE", `/api/settings/tokens/${encodeURIComponent(id)}`).then(
      () => setVersion(version + 1),
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );

  return (
    <>
      <form onSubmit={create} class="token-form" aria-label="New token">
        <label for="token-name">Token name</label>
        <input
          id="token-name"
          required
          maxLength={100}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <label for="token-role">Role</label>
        <select id="token-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          <option value="read">read</option>
          <option value="write">write</option>
          <option value="fineGrained">fine-grained</option>
        </select>
        {role === "fineGrained" && (
          <>
            <label for="token-repo">Repository (namespace/name) or organisation</label>
            <input id="token-repo" required value={repo} onInput={(e) => setRepo(e.currentTarget.value)} />
            <label class="checkbox">
              <input
                type="checkbox"
                checked={canWrite}
                onChange={(e) => setCanWrite(e.currentTarget.checked)}
              />{" "}
              may write
            </label>
          </>
        )}
        <label for="token-expires">Expires on (optional)</label>
        <input
          id="token-expires"
          type="date"
          value={expires}
          onInput={(e) => setExpires(e.currentTarget.value)}
        />
        <button type="submit">Create token</button>
      </form>
      {error && (
        <p class="text-danger" role="alert">
          {error}
        </p>
      )}
      {created?.token && (
        <div class="notice" role="status">
          <p>
            New token <strong>{created.displayName}</strong>. Copy it now: it is not shown again.
          </p>
          <code class="new-token">{created.token}</code>
        </div>
      )}
      {tokens.state === "done" && (
        <DataTable
          label="Your tokens"
          columns={tokenColumns(revoke)}
          rows={tokens.data}
          rowKey={(t) => t.id}
        />
      )}
    </>
  );
}

/** The columns of the token list; `revoke` revokes a token. */
function tokenColumns(revoke: (id: string) => void): Column<TokenItem>[] {
  return [
    { header: "Name", cell: (t) => t.displayName },
    {
      header: "Role",
      cell: (t) => (
        <>
          {t.role}
          {t.fineGrained && ` (${t.fineGrained.scoped.map((s) => s.entity.name).join(", ")})`}
        </>
      ),
    },
    { header: "Created", cell: (t) => formatDate(t.createdAt) },
    { header: "Expires", cell: (t) => (t.expiresAt ? formatDate(t.expiresAt) : "never") },
    { header: "Last used", cell: (t) => (t.lastUsedAt ? formatDate(t.lastUsedAt) : "never") },
    {
      header: "State",
      cell: (t) =>
        t.revokedAt ? (
          `revoked${t.revokedReason ? `: ${t.revokedReason}` : ""}`
        ) : (
          <button type="button" onClick={() => revoke(t.id)} aria-label={`Revoke ${t.displayName}`}>
            Revoke
          </button>
        ),
    },
  ];
}
