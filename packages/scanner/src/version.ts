/**
 * The scanner's version, as in its package.json (a test keeps the two in step). The hub stores it
 * with every scan result and rescans stored files when it changes, so a release that changes what
 * the scanner finds must change it.
 */
export const SCANNER_VERSION = "0.1.0";
