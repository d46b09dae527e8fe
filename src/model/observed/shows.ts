import type { ObservedState } from "./types.js";

/**
 * Whether the input shows any state of the cluster (Pods, Nodes, Events, Endpoints, or a Pod list
 * read for a namespace, even an empty one). Symptom rules report only on what it shows: without
 * any, the engine keeps no copy of the cluster's findings for them (300,000 findings in one file
 * were kept alive to the end of the cluster's lint for nothing).
 */
export function showsState(o: ObservedState): boolean {
  return o.pods.length > 0 || o.nodes.length > 0 || o.events.length > 0 || o.endpoints.length > 0 || o.podNamespaces.size > 0 || o.has.pods || o.has.nodes || o.has.events || o.has.endpoints;
}
