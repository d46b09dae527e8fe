/**
 * ../shared (the research corpora beside the project root) in tests. A clone of the project has no
 * ../shared beside it, and `npm test` must pass there: a test reads ../shared only inside its body
 * (or in a beforeAll of a suite that is skipped without it, which vitest never runs), and skips with
 * a visible note when it is missing. At collection time a test file may only ask whether a path
 * exists (for describe.skipIf / it.skipIf), never read it: vitest runs every describe body, skipped
 * or not, to collect its tests. `.ci/run` runs the suite in a clean clone to keep it that way.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { TestContext } from "vitest";
import { SHARED } from "./lint-fixture.js";

export { SHARED };

const noted = new Set<string>();

/** ../shared/<rel>, as an absolute path (whether or not it exists). */
export function sharedPath(rel: string): string {
  return path.join(SHARED, rel);
}

/**
 * Whether ../shared/<rel> exists, for describe.skipIf / it.skipIf at collection time (a stat, not a
 * read). When it is missing, one visible note on stderr says which tests are skipped.
 */
export function haveShared(rel: string, skipped: string): boolean {
  const p = sharedPath(rel);
  if (existsSync(p)) return true;
  if (!noted.has(`${p}\0${skipped}`)) {
    noted.add(`${p}\0${skipped}`);
    console.warn(`note: ${p} is missing (a clone has no ../shared): ${skipped} skipped`);
  }
  return false;
}

/** Inside a test body: ../shared/<rel>, or a visible note and a skip of this test when it is missing. */
export function needShared(ctx: TestContext, rel: string): string {
  const p = sharedPath(rel);
  if (!existsSync(p)) {
    console.warn(`note: ${p} is missing (a clone has no ../shared): "${ctx.task.name}" skipped`);
    ctx.skip(`${p} is missing`);
  }
  return p;
}

/**
 * Check every case of a corpus inside one test body, and fail with the list of every failing case
 * (name and first line of its assertion message), not only the first. The cases come from ../shared,
 * which is read in the test body, so they cannot be one vitest test each.
 */
export function eachCase<C>(cases: readonly C[], name: (c: C, i: number) => string, check: (c: C, i: number) => void): void {
  const failures: string[] = [];
  cases.forEach((c, i) => {
    try {
      check(c, i);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      failures.push(`${name(c, i)}: ${msg.length > 2000 ? msg.slice(0, 2000) + " ..." : msg}`);
    }
  });
  if (failures.length > 0) {
    throw new Error(`${failures.length} of ${cases.length} cases fail:\n\n${failures.join("\n\n")}`);
  }
}
