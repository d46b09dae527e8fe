/**
 * Rule tests as tables, in the manner of ESLint's RuleTester: every failing case names the rule,
 * the file and the line of each finding; every passing case asserts the rule stays quiet.
 */
import { describe, expect, it } from "vitest";
import { lintFixture } from "./lint-fixture.js";

export interface ExpectedFinding {
  file: string;
  line: number;
  column?: number;
  severity?: "error" | "warning" | "info";
  field?: string;
  message?: RegExp;
}

export interface RuleCase {
  /** Directory under fixtures/, linted as `kube-netlint .` from inside it (its own .kube-netlint.yaml if any). */
  fixture: string;
  /** Findings of the rule under test, exactly (order does not matter). Empty = the rule stays quiet. */
  expect: ExpectedFinding[];
  /** `--rule` overrides, e.g. to turn on an advisory rule. */
  rules?: Record<string, "off" | "info" | "warning" | "error">;
}

export function runRuleTable(table: Record<string, RuleCase[]>): void {
  for (const [ruleId, cases] of Object.entries(table)) {
    describe(ruleId, () => {
      it("has a failing and a passing case", () => {
        expect(cases.some((c) => c.expect.length > 0), "a failing case").toBe(true);
        expect(cases.some((c) => c.expect.length === 0), "a passing case").toBe(true);
      });
      for (const c of cases) {
        it(`${c.expect.length ? "reports" : "is quiet on"} ${c.fixture}`, () => {
          const { report } = lintFixture(c.fixture, c.rules ? { rules: c.rules } : {});
          const got = report.results.filter((r) => r.ruleId === ruleId);
          expect(got.map((r) => `${r.file}:${r.line}`).sort()).toEqual(c.expect.map((e) => `${e.file}:${e.line}`).sort());
          for (const e of c.expect) {
            const f = got.find((r) => r.file === e.file && r.line === e.line)!;
            if (e.column !== undefined) expect(f.column).toBe(e.column);
            if (e.severity) expect(f.severity).toBe(e.severity);
            if (e.field) expect(f.field).toBe(e.field);
            if (e.message) expect(f.message).toMatch(e.message);
            expect(f.endLine >= f.line).toBe(true);
          }
        });
      }
    });
  }
}
