import { escapeControl as shown } from "@modelgate/scanner";
import type { ScanIdentity } from "../api/types";
import { formatDate } from "../format";

/**
 * What produced a file's scan result (scanner version, import policy, ClamAV database) and when, and
 * whether a background rescan under the hub's current ones is due (the result shown stays in force
 * until the rescan replaces it).
 */
export function ScanProvenance(props: {
  scannedWith: ScanIdentity | undefined;
  scannedAt: string | undefined;
  rescanPending: boolean;
}) {
  const { scannedWith, scannedAt, rescanPending } = props;
  if (!scannedWith && !rescanPending) return null;
  // Twelve hex digits tell policies apart; the title has the whole digest.
  const digest = scannedWith?.policyDigest.replace(/^sha256:/, "").slice(0, 12);
  return (
    <p class="muted small scan-provenance">
      {scannedWith && (
        <>
          Scanned{scannedAt && ` ${formatDate(scannedAt)}`} by modelgate scanner{" "}
          <code>{shown(scannedWith.scannerVersion)}</code>, import policy{" "}
          <code title={scannedWith.policyDigest}>{digest}</code>
          {scannedWith.clamav !== "" && (
            <>
              , ClamAV <code>{shown(scannedWith.clamav.replace(/^ClamAV /, ""))}</code>
            </>
          )}
          .{" "}
        </>
      )}
      {rescanPending && (
        <strong class="rescan-pending">
          Rescan pending under the hub's current scanner, policy and ClamAV database; this result stays in
          force until it finishes.
        </strong>
      )}
    </p>
  );
}
