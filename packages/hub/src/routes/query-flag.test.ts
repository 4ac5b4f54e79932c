import { describe, expect, it } from "vitest";
import { queryFlag } from "./query-flag.js";

describe("queryFlag", () => {
  it("reads true as the JS client, Python and people write it", () => {
    for (const v of ["true", "True", "TRUE", "1"]) expect(queryFlag(v)).toBe(true);
  });
  it("reads anything else as false", () => {
    for (const v of ["false", "False", "0", "", "yes", undefined, ["true"]]) expect(queryFlag(v)).toBe(false);
  });
});
