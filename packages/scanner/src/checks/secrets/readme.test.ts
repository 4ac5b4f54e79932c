/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import readme from "./README.md?raw";
import { SECRET_DETECTORS } from "./secret-detectors.js";

describe("secrets README", () => {
  it("lists every detector, in priority order, and no other", () => {
    const listed = [...readme.matchAll(/^\| `([a-z0-9-]+)` *\|/gm)].map((m) => m[1]);
    expect(listed).toEqual(SECRET_DETECTORS.map((d) => d.id));
  });
});
