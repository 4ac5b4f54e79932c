// The database generated from the default policy table, loaded by a real clamd: one malformed line
// would make clamd refuse the whole database (and an operator's reload with it).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { clamavSignatures, defaultPolicy, MemorySource } from "@modelgate/scanner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClamdClient } from "./clamd-client.js";
import { bytes } from "./test-helpers/fixtures.js";
import { MUST_RUN_CLAMD, startTestClamd, type TestClamd } from "./test-helpers/test-clamd.js";

/** SHORT_BINUNICODE, or BINUNICODE past 255 bytes. */
function pickleString(text: string): string {
  const utf8 = new TextEncoder().encode(text);
  const latin1 = String.fromCharCode(...utf8);
  if (utf8.length <= 0xff) return `\x8c${String.fromCharCode(utf8.length)}${latin1}`;
  const n = utf8.length;
  return `X${String.fromCharCode(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24)}${latin1}`;
}

/** The labelled corpus at ../shared/corpus/dev from the repository root (CI has it). */
const CORPUS =
  process.env.MODELGATE_CORPUS ?? fileURLToPath(new URL("../../../../shared/corpus/dev", import.meta.url));

interface CorpusEntry {
  path: string;
  label: "malicious" | "benign";
  technique: string;
}

/** Benign files of the whole ecosystem (`../shared/corpus/benign-ecosystem`) and of the scanner's fixtures. */
const BENIGN_FOLDERS = [
  fileURLToPath(new URL("../../../../shared/corpus/benign-ecosystem", import.meta.url)),
  fileURLToPath(new URL("../../scanner/test/fixtures", import.meta.url)),
];
/** Scanner fixtures that hold payloads on purpose. */
const MALICIOUS_FIXTURE = /payload|os_system|from_file/;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Malicious corpus files whose payload is a plain pickle import the default table must call dangerous. */
const MUST_DETECT =
  /^(?:GLOBAL (?:os|posix|builtins)\.|STACK_GLOBAL builtins\.|subprocess\.|payload in PyTorch zip)/;

describe.runIf(MUST_RUN_CLAMD)("the default policy's ClamAV database in a real clamd", () => {
  let clamd: TestClamd;
  const database = clamavSignatures(defaultPolicy().rules);
  beforeAll(async () => {
    clamd = await startTestClamd([], defaultPolicy().rules);
  }, 60_000);
  afterAll(async () => {
    await clamd?.stop();
  });

  it("loads, and clamd answers", async () => {
    const client = createClamdClient({ kind: "unix", path: clamd.socket });
    expect(await client.ping()).toBe(true);
  });

  it("flags a protocol-4 STACK_GLOBAL pickle for every rule that has a signature", async () => {
    const client = createClamdClient({ kind: "unix", path: clamd.socket });
    for (const { rule, name } of database.signatures) {
      const imported = rule.name === "*" ? "modelgate_probe" : rule.name;
      // A wildcard rule covers submodules too: probe `module.sub` as well.
      const modules = rule.name === "*" ? [rule.module, `${rule.module}.modelgate_sub`] : [rule.module];
      for (const module of modules) {
        const pickle = bytes(`\x80\x04${pickleString(module)}\x94${pickleString(imported)}\x94\x93)R.`);
        const reply = await client.scan(new MemorySource(pickle));
        expect(reply, `${module}.${imported} (${name})`).toMatchObject({
          kind: "found",
          signature: expect.stringMatching(/^ModelGate\.Pickle\.CodeExec\./),
        });
      }
    }
  });

  it("flags a protocol-0 GLOBAL pickle for every rule that has a signature", async () => {
    const client = createClamdClient({ kind: "unix", path: clamd.socket });
    for (const { rule, name } of database.signatures) {
      if (rule.module.includes("\n") || rule.name.includes("\n")) continue;
      const imported = rule.name === "*" ? "modelgate_probe" : rule.name;
      const latin1 = (s: string) => String.fromCharCode(...new TextEncoder().encode(s));
      const pickle = bytes(`c${latin1(rule.module)}\n${latin1(imported)}\n)R.`);
      const reply = await client.scan(new MemorySource(pickle));
      expect(reply, `${rule.module}.${rule.name} (${name})`).toMatchObject({ kind: "found" });
    }
  });

  it("flags no benign file of the ecosystem corpus or the scanner's fixtures (module names held as plain strings)", async () => {
    const client = createClamdClient({ kind: "unix", path: clamd.socket });
    const files = BENIGN_FOLDERS.flatMap(filesUnder).filter((f) => !MALICIOUS_FIXTURE.test(f));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      expect(await client.scan(new MemorySource(readFileSync(file))), file).toEqual({ kind: "clean" });
    }
  });

  it("does not take a module name stored as a string for an import, but flags the import", async () => {
    const client = createClamdClient({ kind: "unix", path: clamd.socket });
    // {'platform': 'Linux'} and a STACK_GLOBAL import of platform.system, as protocol 4 writes them.
    const plain = bytes(`\x80\x04}\x94${pickleString("platform")}\x94${pickleString("Linux")}\x94s.`);
    const imported = bytes(`\x80\x04${pickleString("platform")}\x94${pickleString("system")}\x94\x93\x94)R.`);
    expect(await client.scan(new MemorySource(plain))).toEqual({ kind: "clean" });
    expect(await client.scan(new MemorySource(imported))).toMatchObject({ kind: "found" });
  });

  it.runIf(existsSync(join(CORPUS, "manifest.json")) && database.signatures.length > 0)(
    "flags no benign corpus file, and the plain pickle payloads of the malicious ones",
    async () => {
      const client = createClamdClient({ kind: "unix", path: clamd.socket });
      const manifest = JSON.parse(readFileSync(join(CORPUS, "manifest.json"), "utf8")) as {
        files: CorpusEntry[];
      };
      for (const entry of manifest.files) {
        // Bytes only: ClamAV reads them; nothing here ever loads a model.
        const reply = await client.scan(new MemorySource(readFileSync(join(CORPUS, entry.path))));
        if (entry.label === "benign") expect(reply, entry.path).toEqual({ kind: "clean" });
        else if (MUST_DETECT.test(entry.technique)) expect(reply.kind, entry.path).toBe("found");
      }
    },
  );
});
