// CoreDNS directive list: plugin.cfg of the newest release in src/generated/coredns-versions.ts
// (generated from coredns/coredns's tags by scripts/gen-coredns-versions.mjs), in plugin.cfg order,
// which is also the plugin execution order. This is the list the Corefile parser accepts;
// any other directive name fails with "Unknown directive 'NAME'" at parse time.
import { COREDNS_HISTORY } from "../../generated/coredns-versions.js";

export const COREDNS_DIRECTIVES: readonly string[] = Object.freeze([...COREDNS_HISTORY.order]);

/** The CoreDNS version whose plugin.cfg COREDNS_DIRECTIVES reproduces. */
export const COREDNS_DIRECTIVES_VERSION = COREDNS_HISTORY.releases[COREDNS_HISTORY.releases.length - 1]!;

/** Directives of the default build that come from outside the coredns/coredns tree. */
export const COREDNS_EXTERNAL_DIRECTIVES: readonly string[] = Object.freeze(["on"]);

/** Zero-based execution position of a directive, or -1 when it is not in the v1.14.x list. */
export function corednsDirectiveOrder(name: string): number {
  return COREDNS_DIRECTIVES.indexOf(name);
}
