/**
 * Why an ONNX external-data `location` would read outside the model's folder, or undefined when
 * it stays inside. ONNX joins the location to the model's directory, so an absolute path, a drive
 * or URL prefix, or a `..` segment reaches other files (CVE-2022-25882 in onnx itself).
 */
export function externalDataEscape(location: string): string | undefined {
  if (location.includes("\0")) return "contains a NUL byte";
  if (/^[\\/]/.test(location)) return "is an absolute path";
  if (/^[A-Za-z]:/.test(location)) return "starts with a drive letter";
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(location)) return "is a URL";
  if (location.split(/[\\/]/).includes("..")) return "climbs out of the model folder with ..";
  if (location === "" || location === ".") return "names no file";
  return undefined;
}
