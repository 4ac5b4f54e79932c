import type { ComponentChildren } from "preact";
import { ApiError } from "../api/api-client";
import type { Loaded } from "../use-load";

/** Renders a load: a busy line while loading, a clear message when it failed, else `children(data)`. */
export function LoadState<T>(props: {
  loaded: Loaded<T>;
  what: string;
  children: (data: T) => ComponentChildren;
}) {
  const { loaded } = props;
  if (loaded.state === "loading") {
    return (
      <p class="muted" aria-busy="true">
        Loading {props.what}…
      </p>
    );
  }
  if (loaded.state === "failed") return <ErrorMessage error={loaded.error} what={props.what} />;
  return <>{props.children(loaded.data)}</>;
}

/** A failed load in words; a 404 also says a private repository needs signing in. */
export function ErrorMessage(props: { error: Error; what: string }) {
  const { error } = props;
  const notFound = error instanceof ApiError && error.status === 404;
  return (
    <div class="notice notice-error" role="alert">
      <p>
        <strong>Could not load {props.what}.</strong> {error.message}
      </p>
      {notFound && (
        <p>
          If it is a private repository, <a href="/sign-in">sign in</a> with a token that may read it.
        </p>
      )}
    </div>
  );
}
