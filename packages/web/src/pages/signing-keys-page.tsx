import { useState } from "preact/hooks";
import type { SigningKeyItem } from "../api/types";
import { useAuth } from "../auth/auth";
import { type Column, DataTable } from "../components/data-table";
import { SettingsFrame } from "../components/settings-frame";
import { formatDate } from "../format";
import { useLoad, useTitle } from "../use-load";

const KINDS = [
  {
    path: "gpg-keys",
    title: "GPG keys",
    label: "ASCII-armoured public key (gpg --armor --export KEYID)",
    placeholder: "-----BEGIN PGP PUBLIC KEY BLOCK-----",
  },
  {
    path: "ssh-signing-keys",
    title: "SSH signing keys",
    label: "SSH public key (the .pub file)",
    placeholder: "ssh-ed25519 AAAA… you@example.com",
  },
] as const;

/**
 * Commit-signing keys: the account's e-mail addresses (a commit is Verified only when its committer
 * address is one of them), and GPG and SSH keys to add (pasted public key) and delete.
 */
export function SigningKeysPage() {
  useTitle("Signing keys");
  return <SettingsFrame title="Signing keys">{() => <SigningKeys />}</SettingsFrame>;
}

function SigningKeys() {
  const { api, viewer } = useAuth();
  const emails = useLoad((signal) => api.getJson<string[]>("/api/users/me/emails", signal), [viewer]);
  return (
    <>
      <p>
        Commits you sign (<code>git config commit.gpgsign true</code>) show as Verified when the signing key
        is registered here and the committer e-mail is one of your addresses:
      </p>
      {emails.state === "done" && (
        <ul aria-label="Your e-mail addresses">
          {emails.data.map((e) => (
            <li key={e}>
              <code>{e}</code>
            </li>
          ))}
        </ul>
      )}
      <p class="muted small">
        The hub sends no mail, so a hub administrator adds other addresses (
        <code>modelgate user add-email NAME ADDRESS</code>).
      </p>
      {KINDS.map((k) => (
        <KeyList key={k.path} {...k} />
      ))}
    </>
  );
}

function KeyList(props: (typeof KINDS)[number]) {
  const { api, viewer } = useAuth();
  const [version, setVersion] = useState(0);
  const keys = useLoad(
    (signal) => api.getJson<SigningKeyItem[]>(`/api/users/me/${props.path}`, signal),
    [viewer, version],
  );
  const [name, setName] = useState("");
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const fail = (err: unknown) => setError(err instanceof Error ? err.message : String(err));
  const add = (e: Event) => {
    e.preventDefault();
    setError(undefined);
    api
      .send<SigningKeyItem>("POST", `/api/users/me/${props.path}`, {
        key,
        ...(name.trim() ? { name: name.trim() } : {}),
      })
      .then(() => {
        setKey("");
        setName("");
        setVersion(version + 1);
      }, fail);
  };
  const remove = (id: number) =>
    api.send("DELETE", `/api/users/me/${props.path}/${id}`).then(() => setVersion(version + 1), fail);
  const id = props.path;
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{props.title}</h2>
      {keys.state === "done" && keys.data.length === 0 && <p class="muted">None yet.</p>}
      {keys.state === "done" && keys.data.length > 0 && (
        <DataTable
          label={`Your ${props.title}`}
          columns={keyColumns(remove)}
          rows={keys.data}
          rowKey={(k) => k.id}
        />
      )}
      <form onSubmit={add} class="token-form" aria-label={`New ${props.title}`}>
        <label for={`${id}-name`}>Name (optional)</label>
        <input
          id={`${id}-name`}
          maxLength={200}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <label for={`${id}-key`}>{props.label}</label>
        <textarea
          id={`${id}-key`}
          required
          rows={5}
          placeholder={props.placeholder}
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
        />
        <button type="submit">Add key</button>
      </form>
      {error && (
        <p class="text-danger" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** The columns of a key list; `remove` deletes a key. */
function keyColumns(remove: (id: number) => void): Column<SigningKeyItem>[] {
  return [
    { header: "Name", cell: (k) => k.name },
    { header: "Fingerprint", cell: (k) => <code>{k.fingerprint}</code> },
    { header: "E-mails in the key", cell: (k) => k.emails.join(", ") || "—" },
    { header: "Expires", cell: (k) => (k.expiresAt ? formatDate(k.expiresAt) : "never") },
    { header: "Added", cell: (k) => formatDate(k.createdAt) },
    {
      header: "",
      cell: (k) => (
        <button type="button" onClick={() => remove(k.id)} aria-label={`Delete ${k.name}`}>
          Delete
        </button>
      ),
    },
  ];
}
