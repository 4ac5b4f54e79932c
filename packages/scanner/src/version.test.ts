import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SCANNER_VERSION } from "./version.js";

describe("SCANNER_VERSION", () => {
  it("is the version in the scanner's package.json (the hub rescans stored files when it changes)", () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as {
      version: string;
    };
    expect(SCANNER_VERSION).toBe(pkg.version);
  });
});
