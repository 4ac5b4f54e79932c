import type { SecurityRepoStatus } from "../api/types";
import { blobHref, type RepoId } from "../routes";
import { bannerText, isAlarming } from "../security/badges";

/**
 * The warning above a file list when any file of the repository is unsafe or infected, with links to
 * each file's security detail.
 */
export function SecurityBanner(props: { id: RepoId; rev: string; status: SecurityRepoStatus | undefined }) {
  const files = props.status?.filesWithIssues.filter((f) => isAlarming(f.level)) ?? [];
  const text = bannerText(props.id.kind, files);
  if (!text) return null;
  return (
    <section class="banner banner-danger" role="alert" aria-labelledby="security-banner-title">
      <h2 id="security-banner-title" class="banner-title">
        <span aria-hidden="true">⚠ </span>
        {text}
      </h2>
      <p>Loading an unsafe file can run code on your computer. See what the scan found:</p>
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
