// Entry point of `modelgate scan`'s worker threads (bundled as dist/bundle/scan-worker.mjs): the
// same policy and checks as the main thread, built from the setup it sends.
import { serveScanWorker } from "@modelgate/node";
import { type ScanSetup, scanChecksFor } from "./scan-setup.js";

serveScanWorker((setup: ScanSetup) => {
  const { policy, checks } = scanChecksFor(setup);
  return policy ? { policy, checks } : { checks };
});
