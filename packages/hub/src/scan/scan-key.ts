import { scanPathKey } from "@modelgate/scanner";

/**
 * The key a scan result is shared under: the content's sha256, plus what of the path the scanner
 * depends on (`scanPathKey`), so that the verdict a path gets is always the one a fresh scan of that
 * path would give. Keys of path-independent scans are the bare sha256.
 */
export function scanKeyOf(sha256: string, path: string): string {
  const pathKey = scanPathKey(path);
  return pathKey === "" ? sha256 : `${sha256}/${pathKey}`;
}
