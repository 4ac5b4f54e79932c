import { describe, expect, it } from "vitest";
import {
  apiRepo,
  blobHref,
  commitsHref,
  parsePage,
  type RepoId,
  repoHref,
  repoIdOf,
  resolveHref,
  treeHref,
} from "./routes";

const model: RepoId = { kind: "model", ns: "acme", repo: "bert" };
const dataset: RepoId = { kind: "dataset", ns: "acme", repo: "squad" };

describe("parsePage", () => {
  it("parses the pull request list and a discussion, and refuses other discussion paths", () => {
    const id = { kind: "model", ns: "alice", repo: "m" };
    expect(parsePage("/alice/m/discussions")).toEqual({ name: "pulls", id });
    expect(parsePage("/alice/m/discussions/12")).toEqual({ name: "discussion", id, num: 12 });
    expect(parsePage("/datasets/alice/m/discussions/1")).toEqual({
      name: "discussion",
      id: { ...id, kind: "dataset" },
      num: 1,
    });
    for (const bad of ["/alice/m/discussions/0", "/alice/m/discussions/x", "/alice/m/discussions/1/more"]) {
      expect(parsePage(bad)).toEqual({ name: "not-found" });
    }
  });
  it("parses the Hub's page routes", () => {
    expect(parsePage("/")).toEqual({ name: "home" });
    expect(parsePage("/sign-in")).toEqual({ name: "sign-in" });
    expect(parsePage("/sign-up")).toEqual({ name: "sign-up" });
    expect(parsePage("/settings/tokens")).toEqual({ name: "settings", section: "tokens" });
    expect(parsePage("/settings/signing-keys")).toEqual({ name: "settings", section: "signing-keys" });
    expect(parsePage("/organizations/acme/settings")).toEqual({ name: "org-settings", org: "acme" });
    expect(parsePage("/settings/nope")).toEqual({ name: "not-found" });
    expect(parsePage("/acme/bert")).toEqual({ name: "tree", id: model, rev: undefined, path: "" });
    expect(parsePage("/acme/bert/")).toEqual({ name: "tree", id: model, rev: undefined, path: "" });
    expect(parsePage("/acme/bert/tree/main")).toEqual({ name: "tree", id: model, rev: "main", path: "" });
    expect(parsePage("/acme/bert/tree/main/sub/dir")).toEqual({
      name: "tree",
      id: model,
      rev: "main",
      path: "sub/dir",
    });
    expect(parsePage("/acme/bert/blob/main/a/model.bin")).toEqual({
      name: "blob",
      id: model,
      rev: "main",
      path: "a/model.bin",
    });
    expect(parsePage("/acme/bert/commits/main")).toEqual({ name: "commits", id: model, rev: "main" });
    expect(parsePage("/acme/bert/commits")).toEqual({ name: "commits", id: model, rev: undefined });
  });

  it("puts datasets under /datasets", () => {
    expect(parsePage("/datasets/acme/squad")).toEqual({
      name: "tree",
      id: dataset,
      rev: undefined,
      path: "",
    });
    expect(parsePage("/datasets/acme/squad/blob/main/train.csv")).toEqual({
      name: "blob",
      id: dataset,
      rev: "main",
      path: "train.csv",
    });
  });

  it("keeps an encoded slash inside one revision segment", () => {
    expect(parsePage("/acme/bert/tree/refs%2Fpr%2F1/x%20y")).toEqual({
      name: "tree",
      id: model,
      rev: "refs/pr/1",
      path: "x y",
    });
  });

  it("refuses the hub's own prefixes as namespaces, and unknown actions", () => {
    expect(parsePage("/api/models")).toEqual({ name: "not-found" });
    expect(parsePage("/assets/x.js")).toEqual({ name: "not-found" });
    expect(parsePage("/datasets/acme")).toEqual({ name: "not-found" });
    expect(parsePage("/acme")).toEqual({ name: "not-found" });
    expect(parsePage("/acme/bert/blob/main")).toEqual({ name: "not-found" });
    expect(parsePage("/acme/bert/raw/main/x")).toEqual({ name: "not-found" });
    expect(parsePage("/acme/bert/commits/main/extra")).toEqual({ name: "not-found" });
  });

  it("treats malformed percent-encoding as not found instead of throwing", () => {
    expect(parsePage("/acme/bert/tree/%E0%A4%A")).toEqual({ name: "not-found" });
  });
});

describe("URL builders", () => {
  it("build page, API and download URLs that parse back", () => {
    expect(repoHref(model)).toBe("/acme/bert");
    expect(repoHref(dataset)).toBe("/datasets/acme/squad");
    expect(treeHref(model, "main")).toBe("/acme/bert/tree/main");
    expect(treeHref(model, "refs/pr/1", "a b/c")).toBe("/acme/bert/tree/refs%2Fpr%2F1/a%20b/c");
    expect(blobHref(dataset, "main", "data/train.csv")).toBe("/datasets/acme/squad/blob/main/data/train.csv");
    expect(commitsHref(model, "dev")).toBe("/acme/bert/commits/dev");
    expect(resolveHref(model, "main", "pytorch_model.bin")).toBe("/acme/bert/resolve/main/pytorch_model.bin");
    expect(apiRepo(dataset)).toBe("/api/datasets/acme/squad");
    expect(parsePage(treeHref(model, "refs/pr/1", "a b/c"))).toEqual({
      name: "tree",
      id: model,
      rev: "refs/pr/1",
      path: "a b/c",
    });
  });

  it("encodes characters that would change a URL's meaning", () => {
    expect(blobHref(model, "main", "x?y#z.bin")).toBe("/acme/bert/blob/main/x%3Fy%23z.bin");
  });

  it("parses listing ids", () => {
    expect(repoIdOf("model", "acme/bert")).toEqual(model);
    expect(repoIdOf("model", "bert")).toBeUndefined();
    expect(repoIdOf("model", "a/b/c")).toBeUndefined();
  });
});
