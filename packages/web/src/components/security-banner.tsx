import type { SecurityRepoStatus } from "../api/types";
import { blobHref, type RepoId } from "../routes";
import { bannerText, isAlarming, isProblem } from "../security/badges";

/**
 * The warning above a file list when any file of the repository has a problem (unsafe, infected, a
 * secret found, a scan error), with links to each file's security detail. Red when loading a file
 * would be dangerous, amber when the problems are secrets or scan errors only.
 */
export function SecurityBanner(props: { id: RepoId; rev: string; status: SecurityRepoStatus | undefined }) {
  const files = props.status?.filesWithIssues.filter((f) => isProblem(f.level)) ?? [];
  const text = bannerText(props.id.kind, files);
  if (!text) return null;
  const tone = files.some((f) => isAlarming(f.level) || f.level === "secret") ? "danger" : "warn";
  return (
    <section class={`banner banner-${tone}`} role="alert" aria-labelledby="security-banner-title">
      <h2 id="security-banner-title" class="banner-title">
        <span aria-hidden="true">⚠ </span>
        {text}
      </h2>
      <p>
        {files.some((f) => isAlarming(f.level))
          ? "Loading an unsafe file can run code on your computer. "
          : "Treat these files as unverified. "}
        See what the scan found:
      </p>
      <ul>
        {files.map((f) => (
          <li key={f.path}>
            <a href={blobHref(props.id, props.rev, f.path)}>{f.path}</a> ({f.level})
          </li>
        ))}
      </ul>
    </section>
  );
}
