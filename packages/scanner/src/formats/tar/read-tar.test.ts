import { describe, expect, it } from "vitest";
import { FIXED_LIMITS, resolveLimits } from "../../limits.js";
import { MemorySource } from "../../reader/byte-source.js";
import { ContainerBudget } from "../container-budget.js";
import { ascii, BENIGN_PICKLE, MALICIOUS_PICKLE } from "../test-helpers/bytes.js";
import { fakeContext } from "../test-helpers/fake-context.js";
import { buildTar, paxHeader, tarHeader } from "../test-helpers/tar-writer.js";
import { startsLikeTar } from "./parse-tar-header.js";
import { readTar } from "./read-tar.js";
import { tarFormat } from "./tar-format.js";

const budget = () => new ContainerBudget(resolveLimits());

describe("readTar", () => {
  it("accepts a well-formed file", async () => {
    const bytes = buildTar([
      { name: "dir/", type: "5" },
      { name: "dir/a.pkl", data: BENIGN_PICKLE },
    ]);
    expect(startsLikeTar(bytes)).toBe(true);
    const listing = await readTar(new MemorySource(bytes), budget());
    expect(listing.issues).toEqual([]);
    expect(listing.entries.map((e) => [e.name, e.type, e.size])).toEqual([
      ["dir", "5", 0],
      ["dir/a.pkl", "0", BENIGN_PICKLE.length],
    ]);
  });

  it("does not take a bad checksum for a tar header", () => {
    expect(startsLikeTar(tarHeader({ name: "a", badChecksum: true }))).toBe(false);
  });

  it("reads a checksum written after white space, as tarfile's strip() allows, and no other lead byte", () => {
    const header = tarHeader({ name: "a" });
    const digits = String.fromCharCode(...header.subarray(148, 154)).replace(/^0+/, "");
    for (const lead of [" ", "\t", "\n", "\r"]) {
      const spaced = header.slice();
      spaced.set(ascii(`${lead.repeat(6 - digits.length)}${digits}\0 `), 148);
      expect(startsLikeTar(spaced)).toBe(true);
    }
    const other = header.slice();
    other.set(ascii(`x${"0".repeat(5 - digits.length)}${digits}\0 `), 148);
    expect(startsLikeTar(other)).toBe(false);
  });

  it("applies pax path and size records to the next member", async () => {
    const bytes = buildTar([
      paxHeader({ path: "long/name/data.pkl" }),
      { name: "short", data: MALICIOUS_PICKLE },
    ]);
    const listing = await readTar(new MemorySource(bytes), budget());
    expect(listing.entries.map((e) => e.name)).toEqual(["long/name/data.pkl"]);
  });

  it("reports a member hidden after the end marker", async () => {
    const hidden = buildTar([{ name: "pickle", data: MALICIOUS_PICKLE }]);
    const listing = await readTar(
      new MemorySource(buildTar([{ name: "a", data: BENIGN_PICKLE }], hidden)),
      budget(),
    );
    expect(listing.issues.map((i) => i.rule)).toEqual(["tar/data-after-end"]);
  });

  it("reports a directory whose size field hides data tarfile reads as headers", async () => {
    const inner = buildTar([{ name: "pickle", data: MALICIOUS_PICKLE }]);
    const bytes = buildTar([{ name: "d", type: "5", size: inner.length - 1024 }]);
    const listing = await readTar(new MemorySource(bytes), budget());
    expect(listing.issues.map((i) => i.rule)).toEqual(["tar/size-on-non-file"]);
  });

  it("reads a GNU long name at the size limit and refuses one byte more", async () => {
    const name = "n".repeat(FIXED_LIMITS.maxTarMetaBytes);
    const at = buildTar([
      { name: "././@LongLink", type: "L", data: ascii(name) },
      { name: "x", data: BENIGN_PICKLE },
    ]);
    const listing = await readTar(new MemorySource(at), budget());
    expect(listing.entries.map((e) => e.name.length)).toEqual([FIXED_LIMITS.maxTarMetaBytes]);
    const over = buildTar([{ name: "././@LongLink", type: "L", data: ascii(`${name}n`) }, { name: "x" }]);
    const refused = await readTar(new MemorySource(over), budget());
    expect(refused.issues.map((i) => i.rule)).toContain("tar/header-too-large");
  });

  it("accepts an archive at the entry limit and refuses one more", async () => {
    const bytes = buildTar([{ name: "a" }, { name: "b" }]);
    await expect(
      readTar(new MemorySource(bytes), new ContainerBudget(resolveLimits({ maxArchiveEntries: 2 }))),
    ).resolves.toBeTruthy();
    await expect(
      readTar(new MemorySource(bytes), new ContainerBudget(resolveLimits({ maxArchiveEntries: 1 }))),
    ).rejects.toMatchObject({ rule: "container/too-many-entries" });
  });
});

describe("tarFormat", () => {
  it("scans every regular member and reports duplicates and cut members", async () => {
    const bytes = buildTar([
      { name: "pickle", data: BENIGN_PICKLE },
      { name: "pickle", data: MALICIOUS_PICKLE },
    ]);
    const ctx = fakeContext();
    await tarFormat.parse(new MemorySource(bytes), ctx);
    expect(ctx.members.map((m) => m.bytes)).toEqual([BENIGN_PICKLE, MALICIOUS_PICKLE]);
    expect(ctx.findings.map((f) => f.rule)).toEqual(["tar/duplicate-entry"]);
    const cut = bytes.subarray(0, 512 + 10);
    const ctx2 = fakeContext();
    await tarFormat.parse(new MemorySource(cut), ctx2);
    expect(ctx2.findings.map((f) => f.rule)).toContain("tar/truncated-member");
  });
});
