import { useEffect, useState } from "preact/hooks";

/** The state of one asynchronous load. */
export type Loaded<T> = { state: "loading" } | { state: "done"; data: T } | { state: "failed"; error: Error };

/**
 * Runs `load` when `deps` change and returns its state; an outdated load is aborted, so a fast
 * navigation never shows the previous page's data.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: "loading" });
  useEffect(() => {
    const controller = new AbortController();
    setLoaded({ state: "loading" });
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setLoaded({ state: "done", data });
      },
      (err: unknown) => {
        if (!controller.signal.aborted) {
          setLoaded({ state: "failed", error: err instanceof Error ? err : new Error(String(err)) });
        }
      },
    );
    return () => controller.abort();
  }, deps);
  return loaded;
}

/** Sets the document title while a page is shown (screen readers announce it on navigation). */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · modelgate hub`;
  }, [title]);
}
