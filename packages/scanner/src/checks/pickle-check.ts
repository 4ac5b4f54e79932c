import type { ScanCheck } from "./scan-check.js";

/** Applies the import policy to every pickle stream a file holds: stub until the engine lands. */
export const pickleCheck: ScanCheck = {
  id: "pickle",
  run: () => ({}),
};
