import { setFlagsFromString } from "node:v8";

/**
 * Interrupt budget (bytecode units run between tier-up checks) for `modelgate scan`, about eight
 * times V8's default (67,584 in Node 20). A scan is a short process that runs thousands of small
 * functions a few thousand times each: with the default, V8's optimizing compiler (TurboFan)
 * compiles dozens of them, several twice after a deoptimisation, and on a repository of 2,000
 * small files that compiling was a third of all instructions the process ran (valgrind
 * --tool=callgrind), far more than the compiled code saved before the process exited.
 * Functions that stay hot (a long pickle stream's opcode loop) are still optimised, a little later.
 */
const SCAN_INTERRUPT_BUDGET = 500_000;

/**
 * Bytecode inlined into one optimised function at most, in total (Node 20's default: 920). The
 * scan's entry points are async functions that inline much of the scanner, making each compile
 * large; a smaller budget keeps compiles short with no loss measured on the opcode loop.
 */
const SCAN_MAX_INLINED_BYTECODE = 300;

/**
 * Tunes V8's tiering for a short scan (see the constants above): measured on the 2,000-file
 * repository of the performance corpus, 25% less CPU time for `modelgate scan --threads 0`, and
 * no more on a 45 MB opcode-dense pickle. Process-wide (worker threads included); only the
 * `scan` command calls it, so a long-running `modelgate serve` keeps V8's defaults. These flags
 * change when code is compiled, never what it does.
 */
export function tuneJitForScan(): void {
  setFlagsFromString(`--interrupt-budget=${SCAN_INTERRUPT_BUDGET}`);
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${SCAN_MAX_INLINED_BYTECODE}`);
}
