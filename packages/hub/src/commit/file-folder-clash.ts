import type { TreeFile } from "../git/loose-objects.js";
import { HubError } from "../hub-error.js";

/** A path cannot be both a file and a folder (`a` and `a/b`); git would write a broken tree. */
export function assertNoFileFolderClash(files: ReadonlyMap<string, TreeFile>): void {
  for (const path of files.keys()) {
    let slash = path.indexOf("/");
    while (slash >= 0) {
      const folder = path.slice(0, slash);
      if (files.has(folder))
        throw new HubError(400, "InvalidPath", `${folder} would be both a file and a folder`);
      slash = path.indexOf("/", slash + 1);
    }
  }
}
