import type { TestHub } from "./start-test-hub.js";

/** A signed-in page session as a browser holds it: the cookie and the CSRF token the page keeps. */
export interface TestSession {
  cookie: string;
  csrf: string;
  setCookie: string;
}

/** `POST /api/auth/sign-in`; returns the raw response (tests read status, headers and body). */
export function postSignIn(hub: TestHub, body: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${hub.url}/api/auth/sign-in`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** Signs in and returns the session, or throws with the hub's answer. */
export async function signIn(hub: TestHub, body: Record<string, string>): Promise<TestSession> {
  const res = await postSignIn(hub, body);
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  const setCookie = res.headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0] ?? "";
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken, setCookie };
}

/** A request as the pages send it: the session cookie, and the CSRF token unless `csrf: false`. */
export function sessionFetch(
  hub: TestHub,
  session: TestSession,
  method: string,
  path: string,
  body?: unknown,
  options: { csrf?: boolean } = {},
) {
  return fetch(`${hub.url}${path}`, {
    method,
    headers: {
      cookie: session.cookie,
      ...(options.csrf === false ? {} : { "x-csrf-token": session.csrf }),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}
