/**
 * Adversarial inputs for the regular expressions of src/ (test/security.test.ts), and the worker
 * thread that runs them. The test gives each expression to the worker and waits with a hang guard
 * of a minute, and times nothing: an expression that backtracks exponentially on these inputs takes
 * not 300 ms instead of 3 but days (the pair shapes repeat a pair 40 times: 2^40 steps), so only a
 * real hang trips the guard, however loaded the machine. The runs of one character (2,000 of them,
 * the size of the 4 KiB heads the classifier reads) catch polynomial backtracking of high degree
 * only (2,000^4 steps); a quadratic expression over a bounded head is no hang, and an unbounded one
 * is a matter for review and bench/, not for a clock in a test.
 */
import { isMainThread, parentPort, workerData } from "node:worker_threads";

const ATOMS = [" ", "a", "A", "0", "9", ".", ",", ":", "-", "=", "_", "\t", "{", "}", "[", "]", "#", "/", "\\", '"', "'", "\n", "\r\n", "$", "%", "*", "@", "~", "é"];
const SUFFIXES = ["", "!", "\0", "\n!"];
export const RUN = 2_000;
export const PAIRS = 40;

/**
 * Adversarial inputs for one expression: long runs of one character (polynomial backtracking),
 * runs of pairs (exponential), each after the expression's own literal words.
 * @param {string} source
 * @returns {string[]}
 */
export function adversarialInputs(source) {
  const words = ["", ...new Set(source.match(/[A-Za-z][A-Za-z0-9_-]{2,}/g) ?? [])].slice(0, 4);
  const out = [];
  for (const w of words) {
    for (const a of ATOMS) for (const s of SUFFIXES) out.push(w + a.repeat(RUN) + s);
    for (const a of ATOMS) for (const b of ATOMS) out.push(w + (a + b).repeat(PAIRS) + "\0!");
  }
  // Shapes that the regexes of this code base look for: a comma list before a brace, a flag, a key.
  out.push("x" + ",a".repeat(PAIRS) + " x", "x" + ", a".repeat(PAIRS) + " x", "--" + "a".repeat(2 * RUN) + "=", "kind:" + " ".repeat(2 * RUN) + "x", "#" + " \t".repeat(RUN) + "kube-netlint-disable-line" + " ,".repeat(RUN));
  return out;
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  /** Which input the worker is on: the test reads it when the hang guard trips. */
  const at = new Int32Array(workerData.progress);
  port.on("message", (/** @type {{ source: string; flags: string }} */ re) => {
    const rx = new RegExp(re.source, re.flags.replace(/[gy]/g, ""));
    const inputs = adversarialInputs(re.source);
    for (let i = 0; i < inputs.length; i++) {
      Atomics.store(at, 0, i);
      rx.exec(inputs[i]);
    }
    port.postMessage(inputs.length);
  });
}
