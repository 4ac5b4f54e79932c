import { type ComponentChildren, createContext } from "preact";
import { useContext, useEffect, useMemo, useState } from "preact/hooks";
import { ApiClient, ApiError } from "../api/api-client";
import type { WhoAmI } from "../api/types";

/** Where the token is kept between visits (this origin only; the pages render no HTML from data). */
const TOKEN_KEY = "modelgate.token";

/** The viewer: anonymous, or signed in with a Hub access token. */
export interface Auth {
  token: string | undefined;
  user: WhoAmI | undefined;
  /** An API client that sends the token. */
  api: ApiClient;
  /** Checks the token with `/api/whoami-v2` and keeps it; throws `ApiError` when it is refused. */
  signIn(token: string): Promise<WhoAmI>;
  signOut(): void;
}

const AuthContext = createContext<Auth | undefined>(undefined);

/** The current viewer. */
export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside <AuthProvider>");
  return auth;
}

function storedToken(): string | undefined {
  try {
    return localStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function storeToken(token: string | undefined): void {
  try {
    if (token === undefined) localStorage.removeItem(TOKEN_KEY);
    else localStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage disabled: the sign-in lasts for this page only.
  }
}

/** Provides the viewer to the pages; a stored token that the hub now refuses is forgotten. */
export function AuthProvider(props: { children: ComponentChildren }) {
  const [token, setToken] = useState<string | undefined>(storedToken);
  const [user, setUser] = useState<WhoAmI | undefined>(undefined);

  useEffect(() => {
    if (!token || user) return;
    const controller = new AbortController();
    new ApiClient(token).whoami(controller.signal).then(setUser, (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) {
        storeToken(undefined);
        setToken(undefined);
      }
    });
    return () => controller.abort();
  }, [token, user]);

  const auth = useMemo<Auth>(
    () => ({
      token,
      user,
      api: new ApiClient(token),
      async signIn(candidate) {
        const who = await new ApiClient(candidate).whoami();
        storeToken(candidate);
        setToken(candidate);
        setUser(who);
        return who;
      },
      signOut() {
        storeToken(undefined);
        setToken(undefined);
        setUser(undefined);
      },
    }),
    [token, user],
  );
  return <AuthContext.Provider value={auth}>{props.children}</AuthContext.Provider>;
}
