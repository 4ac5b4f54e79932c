import type { FileReport } from "@modelgate/scanner";
import type { ScanReply } from "./scan-messages";

/**
 * Scans a local file in this page with the bundled `@modelgate/scanner`, in a worker. Nothing is
 * uploaded: the worker reads the `File` in slices. Rejects when the worker cannot run or fails.
 */
export function scanInBrowser(file: File): Promise<FileReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./scan-worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (event: MessageEvent<ScanReply>) => {
      worker.terminate();
      if (event.data.ok) resolve(event.data.report);
      else reject(new Error(event.data.message));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message || "the scanner could not start"));
    };
    worker.postMessage(file);
  });
}
