import type { ComponentChildren } from "preact";
import { type SignedInUser, useAuth } from "../auth/auth";

/** The settings pages' frame: their navigation, or a sign-in prompt for anonymous viewers. */
export function SettingsFrame(props: { title: string; children: (user: SignedInUser) => ComponentChildren }) {
  const auth = useAuth();
  if (auth.checking) return <p aria-busy="true">Loading…</p>;
  const user = auth.user;
  if (!user) {
    return (
      <section class="narrow" aria-labelledby="settings-title">
        <h1 id="settings-title">{props.title}</h1>
        <p>
          <a href={`/sign-in?next=${encodeURIComponent(location.pathname)}`}>Sign in</a> to see your settings.
        </p>
      </section>
    );
  }
  const adminOrgs = user.orgs.filter((o) => o.role === "admin");
  return (
    <div class="settings">
      <nav aria-label="Settings" class="settings-nav">
        <a href="/settings/tokens">Access tokens</a>
        <a href="/settings/security">Security</a>
        <a href="/settings/signing-keys">Signing keys</a>
        <a href="/settings/audit-log">Audit log</a>
        {user.isAdmin && <a href="/settings/admin">Administration</a>}
        {adminOrgs.map((o) => (
          <a key={o.name} href={`/organizations/${encodeURIComponent(o.name)}/settings`}>
            {o.name} settings
          </a>
        ))}
      </nav>
      <section aria-labelledby="settings-title" class="settings-body">
        <h1 id="settings-title">{props.title}</h1>
        {props.children(user)}
      </section>
    </div>
  );
}
