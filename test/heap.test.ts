/** The CLI lowers V8's heap growth for fleets only, and never over the user's own setting. */
import { describe, expect, it } from "vitest";
import { FLEET_CLUSTERS, wantsFleetHeap } from "../src/cli/heap.js";

describe("heap growth for a fleet run", () => {
  it("from FLEET_CLUSTERS clusters on, not below", () => {
    expect(wantsFleetHeap(FLEET_CLUSTERS, {}, [])).toBe(true);
    expect(wantsFleetHeap(10_000, {}, [])).toBe(true);
    expect(wantsFleetHeap(FLEET_CLUSTERS - 1, {}, [])).toBe(false);
    expect(wantsFleetHeap(1, {}, [])).toBe(false);
  });
  it("not when the user set the growth in NODE_OPTIONS or node's flags", () => {
    expect(wantsFleetHeap(10_000, { NODE_OPTIONS: "--max-old-space-size=900 --heap-growing-percent=200" }, [])).toBe(false);
    expect(wantsFleetHeap(10_000, {}, ["--heap_growing_percent=10"])).toBe(false);
    expect(wantsFleetHeap(10_000, { NODE_OPTIONS: "--max-old-space-size=900" }, ["--inspect"])).toBe(true);
  });
});
