import { LocationProvider, useLocation } from "preact-iso";
import { AuthProvider, useAuth } from "./auth/auth";
import { BlobPage } from "./pages/blob-page";
import { CommitsPage } from "./pages/commits-page";
import { DiscussionPage } from "./pages/discussion-page";
import { HomePage } from "./pages/home-page";
import { NotFoundPage } from "./pages/not-found-page";
import { PullsPage } from "./pages/pulls-page";
import { SignInPage } from "./pages/sign-in-page";
import { TreePage } from "./pages/tree-page";
import { type Page, parsePage } from "./routes";

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
      <main id="main" tabIndex={-1}>
        <PageFor page={page} key={url} />
      </main>
      <footer class="site-footer">
        <p>
          modelgate hub · files are scanned for code execution, malware and leaked secrets on every push; the
          scanner never runs what it scans.
        </p>
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
            Signed in as <strong>{auth.user.name}</strong>{" "}
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
