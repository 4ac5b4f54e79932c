// Loaded into the hub process by `run.mjs inline` (node --import): measures how long the event loop
// was held at a time (perf_hooks' event-loop delay histogram, 1 ms resolution) and writes p50, p99
// and max to stderr when the hub exits. A request can be stalled by another for at most that long.
import { monitorEventLoopDelay } from "node:perf_hooks";

const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
process.on("exit", () => {
  const ms = (ns) => (ns / 1e6).toFixed(1);
  process.stderr.write(
    `hub event-loop delay: p50 ${ms(histogram.percentile(50))} ms, p99 ${ms(histogram.percentile(99))} ms, ` +
      `max ${ms(histogram.max)} ms\n`,
  );
});
