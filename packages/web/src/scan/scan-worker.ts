// The in-page scanner's worker: scans a dropped file off the main thread so the page stays
// responsive. The file is read here, through `BlobSource`, and never sent anywhere.
import { pickleCheck, scanSource, secretsCheck } from "@modelgate/scanner";
import { BlobSource } from "./blob-source";
import type { ScanReply } from "./scan-messages";

interface WorkerScope {
  onmessage: ((event: MessageEvent<File>) => void) | null;
  postMessage(message: ScanReply): void;
}

const scope = self as unknown as WorkerScope;

/** The hub's checks on pushes, less malware (no ClamAV daemon in a browser). */
const CHECKS = [pickleCheck, secretsCheck()];

scope.onmessage = (event) => {
  const file = event.data;
  scanSource(new BlobSource(file), file.name, { checks: CHECKS }).then(
    (report) => scope.postMessage({ ok: true, report }),
    (err: unknown) =>
      scope.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) }),
  );
};
