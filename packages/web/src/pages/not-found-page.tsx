import { useTitle } from "../use-load";

/** A path that is no page of the hub. */
export function NotFoundPage() {
  useTitle("Not found");
  return (
    <section class="narrow">
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <a href="/">See all repositories</a>.
      </p>
    </section>
  );
}
