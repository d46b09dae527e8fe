/** The CLI lowers V8's heap growth for fleets and very large files only, and never over the user's own setting. */
import { describe, expect, it } from "vitest";
import { FLEET_CLUSTERS, LARGE_FILE_CHARS, wantsLowerHeapGrowth } from "../src/cli/heap.js";

const wantsFleetHeap = (clusters: number, env: Record<string, string | undefined>, argv: string[]) => wantsLowerHeapGrowth({ clusters }, env, argv);

describe("heap growth for a very large file", () => {
  it("from LARGE_FILE_CHARS characters on, not below, and not over the user's setting", () => {
    expect(wantsLowerHeapGrowth({ fileChars: LARGE_FILE_CHARS }, {}, [])).toBe(true);
    expect(wantsLowerHeapGrowth({ fileChars: LARGE_FILE_CHARS - 1 }, {}, [])).toBe(false);
    expect(wantsLowerHeapGrowth({ fileChars: 100, clusters: 3 }, {}, [])).toBe(false);
    expect(wantsLowerHeapGrowth({ fileChars: LARGE_FILE_CHARS }, { NODE_OPTIONS: "--heap-growing-percent=100" }, [])).toBe(false);
  });
});

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
