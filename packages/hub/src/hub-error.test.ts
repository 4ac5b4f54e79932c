import { describe, expect, it } from "vitest";
import { RepoMovedError } from "./hub-error.js";

describe("RepoMovedError.location", () => {
  const moved = new RepoMovedError("alice/old.v1", "acme/new");
  it("replaces the repository name in API, download and LFS paths", () => {
    expect(moved.location("/api/models/alice/old.v1/revision/main")).toBe(
      "/api/models/acme/new/revision/main",
    );
    expect(moved.location("/alice/old.v1/resolve/main/a.bin")).toBe("/acme/new/resolve/main/a.bin");
    expect(moved.location("/alice/old.v1.git/info/lfs/objects/batch")).toBe(
      "/acme/new.git/info/lfs/objects/batch",
    );
    expect(moved.location("/api/models/alice/old.v1?blobs=true")).toBe("/api/models/acme/new?blobs=true");
    expect(moved.location("/api/models/alice/old.v1")).toBe("/api/models/acme/new");
  });
  it("matches the name literally and only as a whole segment", () => {
    expect(moved.location("/api/models/alice/oldxv1/tree/main")).toBe("/api/models/alice/oldxv1/tree/main");
    expect(moved.location("/api/models/alice/old.v12/tree/main")).toBe("/api/models/alice/old.v12/tree/main");
  });
});
