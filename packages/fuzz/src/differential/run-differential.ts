import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { COMPRESSED_SEEDS } from "../generators/compressed-seeds.js";
import { generateInput } from "../generators/generate-input.js";
import { mutate } from "../mutate.js";
import { Rng } from "../rng.js";
import { scanTarget } from "../scan-target.js";
import type { Seed } from "../seeds.js";
import { type FileResult, PythonLoaders, type Sandbox } from "./python-loaders.js";

export interface DifferentialOptions {
  /** Mutants to make (each is scanned; those not `dangerous` are loaded). */
  mutants: number;
  seed: number;
  /** The malicious files to mutate (the corpus's, made with real pickles). */
  seeds: readonly Seed[];
  /** Generated payload-carrying containers added to the seeds. */
  generatedSeeds: number;
  outDir: string;
  sandbox: Sandbox;
  /** Loader processes running at once. */
  parallel: number;
  timeoutS: number;
  log: (line: string) => void;
}

/** A mutant the scanner did not call `dangerous` whose payload ran in a real loader. */
export interface Bypass {
  file: string;
  verdict: string;
  format: string;
  origin: string;
  loaders: Record<string, string[]>;
}

export interface DifferentialSummary {
  mutants: number;
  /** Mutants scanned as anything but `dangerous`, so loaded. */
  loaded: number;
  verdicts: Record<string, number>;
  bypasses: Bypass[];
  /** Loads that hit the per-file timeout. */
  timeouts: number;
  /** The unmutated seeds: each loader that ran a payload (proves the hook sees payloads). */
  controls: { name: string; verdict: string; ran: string[] }[];
  versions: string;
}

/**
 * The differential check: mutants of malicious files that the scanner does not call `dangerous` are
 * loaded by Python's real loaders (pickle, torch, numpy, joblib) in a sandbox with an audit hook;
 * a payload event is a bypass, saved with a JSON note under `outDir/bypasses`.
 */
export async function runDifferential(o: DifferentialOptions): Promise<DifferentialSummary> {
  const rng = new Rng(o.seed);
  const candidates = join(resolve(o.outDir), "candidates");
  const bypassDir = join(resolve(o.outDir), "bypasses");
  mkdirSync(candidates, { recursive: true });
  const seeds: { bytes: Uint8Array; origin: string }[] = o.seeds.map((s) => ({
    bytes: s.bytes,
    origin: s.name,
  }));
  for (const s of COMPRESSED_SEEDS)
    if (s.name.startsWith("malicious")) seeds.push({ bytes: s.bytes, origin: s.name });
  for (let i = 0; i < o.generatedSeeds; i++) {
    const made = generateInput(rng, { payload: true });
    if (made.honestPickle) seeds.push({ bytes: made.bytes, origin: `generated ${made.label}` });
  }

  const servers = Array.from(
    { length: o.parallel },
    () => new PythonLoaders(o.sandbox, candidates, o.timeoutS),
  );
  const versions = (await Promise.all(servers.map((s) => s.ready)))[0] ?? "";
  o.log(`loaders ready: ${versions}`);

  const summary: DifferentialSummary = {
    mutants: 0,
    loaded: 0,
    verdicts: {},
    bypasses: [],
    timeouts: 0,
    controls: [],
    versions,
  };
  const seen = new Set<string>();
  let next = 0;
  const pending: Promise<void>[] = [];
  const judge = (result: FileResult, bytes: Uint8Array, verdict: string, format: string, origin: string) => {
    const ran: Record<string, string[]> = {};
    for (const [loader, r] of Object.entries(result.loaders)) {
      if (r.outcome === "timeout") summary.timeouts++;
      if (r.events.length > 0) ran[loader] = r.events.map((e) => `${e.event} ${e.args}`);
    }
    if (Object.keys(ran).length === 0 || verdict === "dangerous") return ran;
    const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
    mkdirSync(bypassDir, { recursive: true });
    const file = join(bypassDir, `${hash}.bin`);
    writeFileSync(file, bytes);
    const bypass: Bypass = { file, verdict, format, origin, loaders: ran };
    writeFileSync(join(bypassDir, `${hash}.json`), `${JSON.stringify(bypass, null, 2)}\n`);
    summary.bypasses.push(bypass);
    o.log(`BYPASS ${verdict} ${format} ${file} (${origin}): ${Object.keys(ran).join(", ")}`);
    return ran;
  };
  const load = async (bytes: Uint8Array) => {
    const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
    const path = join(candidates, `${hash}.bin`);
    writeFileSync(path, bytes);
    const server = servers[next++ % servers.length] as PythonLoaders;
    return server.load(path);
  };

  // Controls: every seed as it is. The scanner must call it dangerous and the hook must see it run.
  for (const s of seeds.slice(0, o.seeds.length + 3)) {
    const { report } = await scanTarget(s.bytes);
    const ran = judge(await load(s.bytes), s.bytes, report.verdict, report.format, `seed ${s.origin}`);
    summary.controls.push({ name: s.origin, verdict: report.verdict, ran: Object.keys(ran) });
  }

  for (let i = 0; i < o.mutants; i++) {
    const parent = rng.pick(seeds);
    const bytes = mutate(rng, parent.bytes, [rng.pick(seeds).bytes], 4 * 1024 * 1024);
    summary.mutants++;
    const hash = createHash("sha256").update(bytes).digest("hex");
    if (seen.has(hash)) continue;
    seen.add(hash);
    const { report } = await scanTarget(bytes);
    summary.verdicts[report.verdict] = (summary.verdicts[report.verdict] ?? 0) + 1;
    if (report.verdict === "dangerous") continue;
    summary.loaded++;
    pending.push(
      load(bytes).then((result) => {
        judge(result, bytes, report.verdict, report.format, `mutation of ${parent.origin}`);
      }),
    );
    // Keep the loaders' queues short so memory stays flat and progress shows.
    if (pending.length >= 16 * o.parallel) await Promise.all(pending.splice(0));
    if (i % 500 === 499)
      o.log(`${i + 1} mutants, ${summary.loaded} loaded, ${summary.bypasses.length} bypasses`);
  }
  await Promise.all(pending);
  await Promise.all(servers.map((s) => s.close()));
  return summary;
}

/** The corpus's malicious files, from its manifest (`label: malicious`). */
export function maliciousCorpusSeeds(corpusDir: string): Seed[] {
  const manifest = JSON.parse(readFileSync(join(corpusDir, "manifest.json"), "utf8")) as {
    files: { path: string; label: string }[];
  };
  return manifest.files
    .filter((f) => f.label === "malicious")
    .map((f) => ({ name: f.path, bytes: new Uint8Array(readFileSync(join(corpusDir, f.path))) }));
}
