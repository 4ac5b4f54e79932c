import { type FileReport, escapeControl as shown } from "@modelgate/scanner";
import { useState } from "preact/hooks";
import { scanInBrowser } from "../scan/scan-in-browser";
import { fileBadge, statusOfReport } from "../security/badges";
import { FileReportView } from "./file-report-view";
import { StatusBadge } from "./status-badge";

type DropState =
  | { state: "idle" }
  | { state: "scanning"; name: string }
  | { state: "done"; report: FileReport }
  | { state: "failed"; name: string; message: string };

/**
 * Scan a local file without uploading it: drop it here (or choose it), and the scanner library,
 * bundled into this page, analyses it in a worker. Nothing leaves the machine.
 */
export function DropZone() {
  const [drop, setDrop] = useState<DropState>({ state: "idle" });
  const [over, setOver] = useState(false);

  const scan = (file: File | undefined) => {
    if (!file) return;
    setDrop({ state: "scanning", name: file.name });
    scanInBrowser(file).then(
      (report) => setDrop({ state: "done", report }),
      (err: unknown) =>
        setDrop({
          state: "failed",
          name: file.name,
          message: err instanceof Error ? err.message : String(err),
        }),
    );
  };

  return (
    <>
      <section class="drop-section" aria-labelledby="drop-title">
        <h2 id="drop-title">Check a file on your computer</h2>
        <p class="muted">
          The scanner runs inside this page: the file is read here and <strong>nothing is uploaded</strong>.
        </p>
        {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target for the mouse; keyboard and screen-reader users get the labelled file input inside it */}
        <div
          class={`drop-zone${over ? " drop-zone-over" : ""}`}
          data-testid="drop-zone"
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            scan(e.dataTransfer?.files[0]);
          }}
        >
          <p>Drop a model file here (pickle, PyTorch, safetensors, …) or</p>
          <input
            id="drop-input"
            class="visually-hidden-input"
            type="file"
            onChange={(e) => {
              scan(e.currentTarget.files?.[0]);
              e.currentTarget.value = "";
            }}
          />
          <label class="button" for="drop-input">
            Choose a file
          </label>
        </div>
      </section>
      <div aria-live="polite" class="drop-result">
        {drop.state === "scanning" && <p aria-busy="true">Scanning {shown(drop.name)}…</p>}
        {drop.state === "failed" && (
          <p class="notice notice-error">
            Could not scan {shown(drop.name)}: {shown(drop.message)}
          </p>
        )}
        {drop.state === "done" && (
          <article aria-labelledby="drop-report-title">
            <h2 id="drop-report-title">
              Scan of {shown(drop.report.path)} <StatusBadge badge={fileBadge(statusOfReport(drop.report))} />
            </h2>
            <FileReportView report={drop.report} />
          </article>
        )}
      </div>
    </>
  );
}
