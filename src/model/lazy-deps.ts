/**
 * Dependencies loaded on first use. Most runs never need them (a pre-commit hook on one file, a
 * repository without `ignore`, `clusters` or `overrides` globs), and their start-up (fast-glob
 * loads Node's streams and asks os.cpus()) would otherwise be paid by every run. esbuild bundles
 * these require() calls as modules initialised at the first call.
 */
import type FastGlob from "fast-glob";
import type Picomatch from "picomatch";

let fastGlobModule: typeof FastGlob | undefined;
let picomatchModule: typeof Picomatch | undefined;

export function fastGlob(): typeof FastGlob {
  return (fastGlobModule ??= require("fast-glob") as typeof FastGlob);
}

export function picomatch(...args: Parameters<typeof Picomatch>): ReturnType<typeof Picomatch> {
  picomatchModule ??= require("picomatch") as typeof Picomatch;
  return picomatchModule(...args);
}
