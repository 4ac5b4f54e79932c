import type { PrFile } from "../api/types";
import { fileBadge, worstStatus } from "../security/badges";
import { StatusBadge } from "./status-badge";

/**
 * One line for a pull request's changed files: the worst scan status among them as a badge, and
 * how many files have issues ("2 of 5 files with issues"), so a reviewer sees the risk before opening it.
 */
export function PrFilesSummary(props: { files: readonly PrFile[] }) {
  const statuses = props.files.flatMap((f) => (f.securityStatus ? [f.securityStatus] : []));
  const worst = worstStatus(statuses);
  const issues = statuses.filter((s) => s !== "safe" && s !== "unscanned").length;
  const changed = props.files.length;
  return (
    <span class="pr-summary">
      {worst && <StatusBadge badge={fileBadge(worst)} />}{" "}
      <span class="muted small">
        {changed} {changed === 1 ? "file" : "files"} changed
        {issues > 0 ? `, ${issues} with issues` : ""}
      </span>
    </span>
  );
}
