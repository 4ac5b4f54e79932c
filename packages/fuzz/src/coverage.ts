import { Session } from "node:inspector";

/** One function's block ranges as V8 reports them. */
interface V8Range {
  startOffset: number;
  endOffset: number;
  count: number;
}
interface V8Function {
  ranges: V8Range[];
}
interface V8Script {
  url: string;
  functions: V8Function[];
}

/**
 * Coverage feedback from V8's own block coverage (the inspector's `Profiler.takePreciseCoverage`,
 * which also resets the counters), so the fuzzer keeps the inputs that reach new code. V8 reports a
 * nested block only while its count differs from its parent's, so each block ever seen is
 * remembered and its count is taken from the innermost reported block around it.
 */
export class CoverageMap {
  private readonly session = new Session();
  /** Every block ever reported, per function (`url@start`), as [start, end]. */
  private readonly blocks = new Map<string, { list: [number, number][]; keys: Set<string> }>();
  private readonly seen = new Set<string>();

  /** `urlFilter` keeps the scripts under test (the scanner's files). */
  constructor(private readonly urlFilter: (url: string) => boolean) {}

  async start(): Promise<void> {
    this.session.connect();
    await this.post("Profiler.enable");
    await this.post("Profiler.startPreciseCoverage", { callCount: true, detailed: true });
  }

  /** Features seen so far: executed blocks and hit-count buckets. */
  get size(): number {
    return this.seen.size;
  }

  /**
   * Collects the coverage since the last call and returns how many features are new. With
   * `remember` false they are counted but not recorded, so the same code reached again is new again
   * (to find which input of a batch reached it).
   */
  async collect(remember = true): Promise<number> {
    const { result } = (await this.post("Profiler.takePreciseCoverage")) as { result: V8Script[] };
    const fresh = new Set<string>();
    const add = (feature: string) => {
      if (!this.seen.has(feature)) fresh.add(feature);
    };
    for (const script of result) {
      if (!this.urlFilter(script.url)) continue;
      for (const fn of script.functions) {
        const whole = fn.ranges[0];
        if (whole === undefined || whole.count === 0) continue;
        const key = `${script.url}@${whole.startOffset}`;
        let known = this.blocks.get(key);
        if (known === undefined) {
          known = { list: [], keys: new Set() };
          this.blocks.set(key, known);
        }
        for (const r of fn.ranges) {
          const k = `${r.startOffset}-${r.endOffset}`;
          if (!known.keys.has(k)) {
            known.keys.add(k);
            known.list.push([r.startOffset, r.endOffset]);
          }
        }
        for (const [s, e] of known.list) {
          const count = innermostCount(fn.ranges, s, e);
          if (count > 0) {
            add(`${key}:${s}-${e}`);
            add(`${key}:${s}-${e}#${bucket(count)}`);
          }
        }
      }
    }
    if (remember) for (const f of fresh) this.seen.add(f);
    return fresh.size;
  }

  async stop(): Promise<void> {
    await this.post("Profiler.stopPreciseCoverage");
    this.session.disconnect();
  }

  private post(method: string, params?: object): Promise<unknown> {
    return new Promise((resolve, reject) =>
      this.session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))),
    );
  }
}

/** The count of the smallest reported range that contains [s, e]. */
function innermostCount(ranges: readonly V8Range[], s: number, e: number): number {
  let best: V8Range | undefined;
  for (const r of ranges)
    if (
      r.startOffset <= s &&
      r.endOffset >= e &&
      (!best || r.endOffset - r.startOffset < best.endOffset - best.startOffset)
    )
      best = r;
  return best?.count ?? 0;
}

/** Coarse hit-count buckets (1, 2-15, 16-255, 256 and more): finer ones keep too many near-copies. */
function bucket(count: number): number {
  if (count < 2) return 1;
  if (count < 16) return 2;
  if (count < 256) return 16;
  return 256;
}
