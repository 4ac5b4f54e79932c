import { type ComponentChildren, createContext } from "preact";
import { useContext, useEffect, useMemo, useState } from "preact/hooks";
import { ApiClient } from "../api/api-client";
import type { SessionInfo } from "../api/types";

/** The signed-in user as the pages know them. */
export type SignedInUser = Extract<SessionInfo, { signedIn: true }>;

/** What a sign-in sends: name and password, and a TOTP or recovery code once 2FA is on. */
export interface Credentials {
  username: string;
  password: string;
  otp?: string;
  recoveryCode?: string;
}

/**
 * The viewer: anonymous, or signed in through a page session. The session lives in an HttpOnly
 * cookie that page scripts cannot read; the pages hold only its CSRF token, in memory.
 */
export interface Auth {
  user: SignedInUser | undefined;
  /** Changes when the viewer changes (pages reload their data on it). */
  viewer: string | undefined;
  /** True until the first session check has answered. */
  checking: boolean;
  /** An API client that sends the session's CSRF token. */
  api: ApiClient;
  /** Signs in; throws `ApiError` (401 `TwoFactorRequired` when a code is needed, 429 when rate limited). */
  signIn(credentials: Credentials): Promise<SignedInUser>;
  /** Signs up with an invitation. */
  signUp(invitation: string, username: string, password: string): Promise<SignedInUser>;
  /** Ends this session (`everywhere`: every session of the user). */
  signOut(everywhere?: boolean): Promise<void>;
  /** Reads the session again (after 2FA changes). */
  refresh(): Promise<void>;
}

const AuthContext = createContext<Auth | undefined>(undefined);

/** The current viewer. */
export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside <AuthProvider>");
  return auth;
}

/** Provides the viewer to the pages, from the hub's session check. */
export function AuthProvider(props: { children: ComponentChildren }) {
  const [user, setUser] = useState<SignedInUser | undefined>(undefined);
  const [checking, setChecking] = useState(true);

  const load = async (signal?: AbortSignal) => {
    const info = await new ApiClient(undefined).session(signal);
    setUser(info.signedIn ? info : undefined);
    setChecking(false);
  };

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).catch(() => setChecking(false));
    return () => controller.abort();
  }, []);

  const auth = useMemo<Auth>(() => {
    const api = new ApiClient(user?.csrfToken);
    return {
      user,
      viewer: user?.name,
      checking,
      api,
      async signIn(credentials) {
        const info = await api.send<SignedInUser>("POST", "/api/auth/sign-in", credentials);
        setUser(info);
        return info;
      },
      async signUp(invitation, username, password) {
        const info = await api.send<SignedInUser>("POST", "/api/auth/sign-up", {
          invitation,
          username,
          password,
        });
        setUser(info);
        return info;
      },
      async signOut(everywhere = false) {
        await api.send("POST", everywhere ? "/api/auth/sign-out-everywhere" : "/api/auth/sign-out");
        setUser(undefined);
      },
      refresh: () => load(),
    };
  }, [user, checking]);
  return <AuthContext.Provider value={auth}>{props.children}</AuthContext.Provider>;
}
