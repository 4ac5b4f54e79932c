import { useState } from "preact/hooks";
import { LocationProvider, useLocation } from "preact-iso";
import type { NotificationItem } from "./api/types";
import { AuthProvider, useAuth } from "./auth/auth";
import { HubKeyNote } from "./components/hub-key-note";
import { AdminPage } from "./pages/admin-page";
import { AuditPage } from "./pages/audit-page";
import { BlobPage } from "./pages/blob-page";
import { CommitsPage } from "./pages/commits-page";
import { DiscussionPage } from "./pages/discussion-page";
import { HomePage } from "./pages/home-page";
import { NotFoundPage } from "./pages/not-found-page";
import { OrgSettingsPage } from "./pages/org-settings-page";
import { PullsPage } from "./pages/pulls-page";
import { SecurityPage } from "./pages/security-page";
import { SignInPage } from "./pages/sign-in-page";
import { SignUpPage } from "./pages/sign-up-page";
import { SigningKeysPage } from "./pages/signing-keys-page";
import { TokensPage } from "./pages/tokens-page";
import { TreePage } from "./pages/tree-page";
import { type Page, parsePage } from "./routes";
import { useLoad } from "./use-load";

/** The whole app: location (links are handled in the page, no reloads), the viewer, the layout. */
export function App() {
  return (
    <LocationProvider>
      <AuthProvider>
        <Layout />
      </AuthProvider>
    </LocationProvider>
  );
}

function Layout() {
  const { path, url } = useLocation();
  const page = parsePage(path);
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <SiteHeader current={url} />
      <Notifications />
      <main id="main" tabIndex={-1}>
        <PageFor page={page} key={url} />
      </main>
      <footer class="site-footer">
        <p>
          modelgate hub · files are scanned for code execution, malware and leaked secrets on every push; the
          scanner never runs what it scans.
        </p>
        <HubKeyNote />
      </footer>
    </>
  );
}

function PageFor(props: { page: Page }) {
  const { page } = props;
  switch (page.name) {
    case "home":
      return <HomePage />;
    case "sign-in":
      return <SignInPage />;
    case "sign-up":
      return <SignUpPage />;
    case "settings":
      return page.section === "tokens" ? (
        <TokensPage />
      ) : page.section === "security" ? (
        <SecurityPage />
      ) : page.section === "signing-keys" ? (
        <SigningKeysPage />
      ) : page.section === "audit-log" ? (
        <AuditPage />
      ) : (
        <AdminPage />
      );
    case "org-settings":
      return <OrgSettingsPage org={page.org} />;
    case "tree":
      return <TreePage id={page.id} rev={page.rev} path={page.path} />;
    case "blob":
      return <BlobPage id={page.id} rev={page.rev} path={page.path} />;
    case "commits":
      return <CommitsPage id={page.id} rev={page.rev} />;
    case "pulls":
      return <PullsPage id={page.id} />;
    case "discussion":
      return <DiscussionPage id={page.id} num={page.num} />;
    case "not-found":
      return <NotFoundPage />;
  }
}

function SiteHeader(props: { current: string }) {
  const auth = useAuth();
  return (
    <header class="site-header">
      <a class="brand" href="/">
        modelgate <span class="brand-sub">hub</span>
      </a>
      <nav aria-label="Account">
        {auth.user ? (
          <span class="account">
            Signed in as <strong>{auth.user.name}</strong> <a href="/settings/tokens">Settings</a>{" "}
            <button type="button" class="link-button" onClick={() => auth.signOut()}>
              Sign out
            </button>
          </span>
        ) : (
          <a href={`/sign-in?next=${encodeURIComponent(props.current)}`}>Sign in</a>
        )}
      </nav>
    </header>
  );
}

/** Messages for the signed-in user (a leaked token was revoked), until dismissed. */
function Notifications() {
  const { api, viewer } = useAuth();
  const [version, setVersion] = useState(0);
  const notes = useLoad(
    (signal) =>
      viewer ? api.getJson<NotificationItem[]>("/api/settings/notifications", signal) : Promise.resolve([]),
    [viewer, version],
  );
  if (notes.state !== "done" || notes.data.length === 0) return null;
  return (
    <section class="notifications" aria-label="Notifications">
      {notes.data.map((n) => (
        <p key={n.id} class="notice notification">
          {n.message}{" "}
          <button
            type="button"
            class="link-button"
            onClick={() =>
              api
                .send("POST", `/api/settings/notifications/${n.id}/dismiss`)
                .then(() => setVersion(version + 1))
            }
          >
            Dismiss
          </button>
        </p>
      ))}
    </section>
  );
}
