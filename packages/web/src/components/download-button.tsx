import { useRef, useState } from "preact/hooks";
import type { FileStatus } from "../api/types";
import { useAuth } from "../auth/auth";
import { isAlarming } from "../security/badges";

/**
 * The download link of a file. For an unsafe or infected file it first asks for confirmation in a
 * modal dialog, then downloads with `accept_risk=1` (what a quarantining hub requires). In a private
 * repository the token is sent with `fetch`, since a plain link cannot carry it.
 */
export function DownloadButton(props: { href: string; name: string; status: FileStatus; private: boolean }) {
  const { api } = useAuth();
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const risky = isAlarming(props.status);
  const url = `${props.href}?download=true${risky ? "&accept_risk=1" : ""}`;

  const start = () => {
    setError(undefined);
    if (!props.private) {
      saveFrom(url, props.name);
      return;
    }
    api.download(url).then(
      (blob) => {
        const objectUrl = URL.createObjectURL(blob);
        saveFrom(objectUrl, props.name);
        setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  };

  return (
    <div class="download">
      <button
        type="button"
        class={risky ? "button button-danger" : "button"}
        onClick={() => (risky ? dialog.current?.showModal() : start())}
      >
        Download
      </button>
      {error && (
        <p class="text-danger" role="alert">
          Download failed: {error}
        </p>
      )}
      {risky && (
        <dialog ref={dialog} aria-labelledby="confirm-title" aria-describedby="confirm-text">
          <h2 id="confirm-title">Download an {props.status} file?</h2>
          <p id="confirm-text">
            <strong>{props.name}</strong> was scanned as {props.status}. Loading it (for example with{" "}
            <code>torch.load</code> or <code>pickle.load</code>) can run code on your computer. Download it
            only to inspect it in a safe place.
          </p>
          <form method="dialog" class="dialog-actions">
            <button type="submit" value="cancel" autofocus>
              Cancel
            </button>
            <button
              type="submit"
              value="download"
              class="button-danger"
              onClick={() => {
                start();
              }}
            >
              Download anyway
            </button>
          </form>
        </dialog>
      )}
    </div>
  );
}

function saveFrom(href: string, name: string): void {
  const a = document.createElement("a");
  a.href = href;
  a.download = name;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
}
