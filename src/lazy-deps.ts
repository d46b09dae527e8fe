/**
 * Dependencies loaded on first use. Most runs never need them (a pre-commit hook on one file, a
 * repository without `ignore`, `clusters` or `overrides` globs; manifests the fast YAML path reads
 * whole), and their start-up (fast-glob loads Node's streams and asks os.cpus(); the yaml library
 * is 40 modules) would otherwise be paid by every run. esbuild bundles these require() calls as
 * modules initialised at the first call.
 */
import type FastGlob from "fast-glob";
import type Picomatch from "picomatch";
import type * as Yaml from "yaml";
import type IpAddr from "ipaddr.js";

let fastGlobModule: typeof FastGlob | undefined;
let picomatchModule: typeof Picomatch | undefined;

export function fastGlob(): typeof FastGlob {
  return (fastGlobModule ??= require("fast-glob") as typeof FastGlob);
}

export function picomatch(...args: Parameters<typeof Picomatch>): ReturnType<typeof Picomatch> {
  picomatchModule ??= require("picomatch") as typeof Picomatch;
  return picomatchModule(...args);
}

let yamlModule: typeof Yaml | undefined;

/** The yaml library: documents outside the fast path, collections' ranges, config files, collect. */
export function yamlLibrary(): typeof Yaml {
  return (yamlModule ??= require("yaml") as typeof Yaml);
}

let ipaddrModule: typeof IpAddr | undefined;

/** ipaddr.js: CIDR containment and canonical forms, for the rules that compare addresses. */
export function ipaddr(): typeof IpAddr {
  return (ipaddrModule ??= require("ipaddr.js") as typeof IpAddr);
}
