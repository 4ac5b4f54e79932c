import type { Kysely } from "kysely";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "../db/schema.js";

/** Seconds: scans take milliseconds (small files) to the scan timeout (large archives). */
const SCAN_SECONDS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** Seconds: API answers, from a cached tree listing to a large commit. */
const REQUEST_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The hub's Prometheus metrics, in a registry of its own (several hubs may run in one process, as in
 * the tests): scans by verdict and their latency, the scan queue's depth, requests by route and status,
 * and prom-client's process metrics. Labels are bounded: routes are Fastify's patterns (never a
 * repository's name), verdicts and statuses are small sets.
 */
export class HubMetrics {
  readonly registry = new Registry();
  private readonly scans: Counter<"verdict">;
  private readonly scanSeconds: Histogram;
  private readonly requests: Counter<"method" | "route" | "status">;
  private readonly requestSeconds: Histogram<"method" | "route">;

  /** `running()` is read at each scrape; the queue depth is counted in the database (every process's). */
  constructor(db: Kysely<Database>, running: () => number) {
    collectDefaultMetrics({ register: this.registry, prefix: "modelgate_" });
    this.scans = new Counter({
      name: "modelgate_scans_total",
      help: "Scans finished by this process, by verdict (safe, suspicious, dangerous, error).",
      labelNames: ["verdict"],
      registers: [this.registry],
    });
    this.scanSeconds = new Histogram({
      name: "modelgate_scan_duration_seconds",
      help: "Time from a scan's start to its result (error and timeout included).",
      buckets: SCAN_SECONDS_BUCKETS,
      registers: [this.registry],
    });
    new Gauge({
      name: "modelgate_scan_queue_depth",
      help: "Scans waiting to run (state queued), in the whole database.",
      registers: [this.registry],
      async collect() {
        const row = await db
          .selectFrom("scans")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("state", "=", "queued")
          .executeTakeFirst();
        this.set(Number(row?.n ?? 0));
      },
    });
    new Gauge({
      name: "modelgate_scans_running",
      help: "Scans this process is running now.",
      registers: [this.registry],
      collect() {
        this.set(running());
      },
    });
    this.requests = new Counter({
      name: "modelgate_http_requests_total",
      help: "HTTP requests answered, by method, route pattern and status.",
      labelNames: ["method", "route", "status"],
      registers: [this.registry],
    });
    this.requestSeconds = new Histogram({
      name: "modelgate_http_request_duration_seconds",
      help: "Time to answer an HTTP request, by method and route pattern.",
      labelNames: ["method", "route"],
      buckets: REQUEST_SECONDS_BUCKETS,
      registers: [this.registry],
    });
  }

  /** Counts a finished scan. */
  scanFinished(verdict: string, seconds: number): void {
    this.scans.inc({ verdict });
    this.scanSeconds.observe(seconds);
  }

  /** Counts an answered request (`route` is the pattern, `(no route)` for a 404 outside every route). */
  requestAnswered(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.requestSeconds.observe({ method, route }, seconds);
  }
}
