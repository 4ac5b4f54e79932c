import { escapeControl as shown } from "@modelgate/scanner";
import { ApiError } from "../api/api-client";
import type { FileScan, SecurityFileStatus, TreeEntry } from "../api/types";
import { useAuth } from "../auth/auth";
import { Breadcrumbs } from "../components/breadcrumbs";
import { DownloadButton } from "../components/download-button";
import { FileReportView } from "../components/file-report-view";
import { LoadState } from "../components/load-state";
import { RepoHeader } from "../components/repo-header";
import { ScanProvenance } from "../components/scan-provenance";
import { StatusBadge } from "../components/status-badge";
import { convertCommand, isPickleCheckpoint } from "../convert-command";
import { formatDate, formatSize } from "../format";
import { fullName, type RepoId, resolveHref } from "../routes";
import { fileBadge, isAlarming } from "../security/badges";
import { type Loaded, useLoad, useTitle } from "../use-load";

/** A file's page: its security status and detail, download, and for pickle checkpoints the conversion. */
export function BlobPage(props: { id: RepoId; rev: string; path: string }) {
  const { id, rev, path } = props;
  useTitle(`${shown(path)} · ${fullName(id)}`);
  const { api, viewer } = useAuth();
  const deps = [id.kind, id.ns, id.repo, rev, path, viewer];
  const info = useLoad((signal) => api.repoInfo(id, rev, signal), [id.kind, id.ns, id.repo, rev, viewer]);
  const entry = useLoad(async (signal) => {
    const found = await api.pathInfo(id, rev, path, signal);
    if (!found) throw new ApiError(404, `no file ${path} at ${rev}`);
    return found;
  }, deps);
  const scan = useLoad((signal) => api.fileScan(id, rev, path, signal), deps);
  const name = path.split("/").pop() ?? path;

  return (
    <>
      <RepoHeader id={id} rev={rev} info={info.state === "done" ? info.data : undefined} tab="files" />
      <Breadcrumbs id={id} rev={rev} path={path} />
      <LoadState loaded={entry} what="the file">
        {(file) => {
          const status = file.securityFileStatus?.status ?? "unscanned";
          const badge = fileBadge(status);
          const scanned = scan.state === "done" ? scan.data : undefined;
          const format = scanned?.report?.format;
          return (
            <article aria-labelledby="file-title">
              <header class="file-header">
                <h2 id="file-title">
                  {shown(name)} <StatusBadge badge={badge} />
                </h2>
                <p class={`status-line tone-${badge.tone}`}>{badge.description}</p>
                <p class="muted small">
                  {formatSize(file.lfs?.size ?? file.size)}
                  {file.lfs && " · stored with Git LFS"}
                  {file.lastCommit &&
                    ` · last changed ${formatDate(file.lastCommit.date)}: ${file.lastCommit.title}`}
                </p>
                <DownloadButton
                  href={resolveHref(id, rev, path)}
                  name={name}
                  status={status}
                  private={info.state === "done" && info.data.private}
                />
              </header>
              {format !== undefined && isPickleCheckpoint(format, path) && (
                <ConvertHint path={path} refused={isAlarming(status)} />
              )}
              <section aria-labelledby="security-title">
                <h2 id="security-title">Security scan</h2>
                <ScanProvenance
                  scannedWith={scanned?.scannedWith ?? file.securityFileStatus?.scannedWith}
                  scannedAt={scanned?.scannedAt}
                  rescanPending={(scanned ?? file.securityFileStatus)?.rescanPending === true}
                />
                <ScanDetail file={file} scan={scan} />
              </section>
            </article>
          );
        }}
      </LoadState>
    </>
  );
}

function ConvertHint(props: { path: string; refused: boolean }) {
  return (
    <aside class="convert" aria-labelledby="convert-title">
      <h2 id="convert-title">Convert to safetensors</h2>
      <p>
        This is a pickle checkpoint. Safetensors files hold only tensors and cannot run code. Convert it
        without loading it (no Python, nothing executed):
      </p>
      <pre>
        <code>{convertCommand(props.path)}</code>
      </pre>
      {props.refused && (
        <p>
          For this file the conversion will refuse and write nothing: it rebuilds only what a tensor
          checkpoint needs, and this one calls something else. Ask its author for a safetensors version.
        </p>
      )}
    </aside>
  );
}

function ScanDetail(props: { file: TreeEntry; scan: Loaded<FileScan> }) {
  const { scan, file } = props;
  if (scan.state === "done" && scan.data.report) return <FileReportView report={scan.data.report} />;
  if (scan.state === "loading") return <p aria-busy="true">Loading the scan report…</p>;
  const summary = file.securityFileStatus;
  if (scan.state === "done" && scan.data.message) return <p>{shown(scan.data.message)}</p>;
  return summary ? <StatusSummary status={summary} /> : <p class="muted">No scan report for this file.</p>;
}

/** What the tree's `securityFileStatus` tells when no full report is available. */
function StatusSummary(props: { status: SecurityFileStatus }) {
  const { status } = props;
  return (
    <div class="report">
      {status.message && <p>{shown(status.message)}</p>}
      {status.pickleImportScan && status.pickleImportScan.imports.length > 0 && (
        <ul class="findings">
          {status.pickleImportScan.imports.map((i) => (
            <li key={`${i.module}.${i.name}`}>
              <code>{shown(`${i.module}.${i.name}`)}</code>{" "}
              <span class={`safety safety-${i.safety}`}>{i.safety}</span>
            </li>
          ))}
        </ul>
      )}
      {status.avScan?.virusFound && (
        <p class="text-danger">
          <strong>Infected:</strong> {status.avScan.virusNames?.join(", ")}
        </p>
      )}
      {status.secretsScan?.findings.map((s, i) => (
        <p key={i}>
          <code>{s.rule}</code>: {shown(s.message)}
        </p>
      ))}
    </div>
  );
}
