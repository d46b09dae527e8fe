/** JUnit XML: one testsuite per file, one failing testcase per finding (a passing one for a clean file). */
import type { JsonReport } from "../engine/lint.js";
import type { FormatContext } from "./index.js";

// Characters XML 1.0 cannot carry at all are dropped; the rest is escaped.
const xml = (s: string) =>
  s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");

export function formatJunit(report: JsonReport, context: FormatContext): string {
  const byFile = new Map<string, JsonReport["results"]>();
  for (const f of context.files) byFile.set(f, []);
  for (const r of report.results) {
    const list = byFile.get(r.file) ?? [];
    list.push(r);
    byFile.set(r.file, list);
  }
  const files = [...byFile.keys()].sort();
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failures = report.results.length;
  const tests = files.reduce((n, f) => n + Math.max(1, byFile.get(f)!.length), 0);
  out.push(`<testsuites name="kube-netlint" tests="${tests}" failures="${failures}" errors="0">`);
  for (const file of files) {
    const findings = byFile.get(file)!;
    out.push(`  <testsuite name="${xml(file)}" tests="${Math.max(1, findings.length)}" failures="${findings.length}" errors="0" skipped="0">`);
    if (findings.length === 0) out.push(`    <testcase classname="${xml(file)}" name="kube-netlint"/>`);
    for (const f of findings) {
      const name = `${f.ruleId} at ${f.line}:${f.column}`;
      out.push(`    <testcase classname="${xml(file)}" name="${xml(name)}">`);
      out.push(`      <failure type="${xml(f.ruleId)}" message="${xml(`${f.severity}: ${f.message}`)}">${xml(`${f.file}:${f.line}:${f.column}: ${f.severity} ${f.ruleId} ${f.message}`)}</failure>`);
      out.push("    </testcase>");
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}
