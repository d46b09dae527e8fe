/**
 * SARIF 2.1.0 for GitHub code scanning: every rule with its help URI, results with regions,
 * related locations for cross-file findings, and partialFingerprints that survive unrelated edits.
 */
import { pathToFileURL } from "node:url";
import { TOOL_VERSION, type JsonReport } from "../engine/lint.js";
import type { FormatContext } from "./index.js";

const LEVEL = { error: "error", warning: "warning", info: "note" } as const;

const encodePath = (file: string) => file.split("/").map(encodeURIComponent).join("/");

export function formatSarif(report: JsonReport, context: FormatContext): string {
  const ruleIndex = new Map(context.rules.map((r, i) => [r.id, i]));
  const base = pathToFileURL(context.cwd.endsWith("/") ? context.cwd : context.cwd + "/").href;
  const location = (file: string, region: { line: number; column: number; endLine?: number | undefined; endColumn?: number | undefined }) => {
    const outside = file.startsWith("../") || file.startsWith("/");
    const artifactLocation = outside ? { uri: file.startsWith("/") ? pathToFileURL(file).href : new URL(encodePath(file), base).href } : { uri: encodePath(file), uriBaseId: "SRCROOT" };
    const r: Record<string, number> = { startLine: region.line, startColumn: region.column };
    if (region.endLine !== undefined) r.endLine = region.endLine;
    if (region.endColumn !== undefined) r.endColumn = Math.max(region.endColumn, region.endLine === region.line ? region.column : 1);
    return { physicalLocation: { artifactLocation, region: r } };
  };
  const results = report.results.map((f) => {
    const result: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId) ?? -1,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [location(f.file, f)],
    };
    if (result.ruleIndex === -1) delete result.ruleIndex;
    if (f.related?.length) result.relatedLocations = f.related.map((r, i) => ({ id: i + 1, ...location(r.file, r), message: { text: r.message } }));
    if (f.fingerprint) result.partialFingerprints = { "kubeNetlint/v1": f.fingerprint };
    if (f.field) result.properties = { field: f.field };
    return result;
  });
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "kube-netlint",
            version: TOOL_VERSION,
            semanticVersion: TOOL_VERSION,
            informationUri: "https://github.com/kube-netlint/kube-netlint",
            rules: context.rules.map((r) => ({
              id: r.id,
              name: r.id.split("/").map((p) => p.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())).join(""),
              shortDescription: { text: r.summary },
              fullDescription: { text: fullDescription(r.docs) ?? r.summary },
              helpUri: r.docsUrl,
              help: { text: `${r.summary}. See ${r.docsUrl}`, ...(r.docs ? { markdown: r.docs } : {}) },
              defaultConfiguration: { level: r.advisory ? "none" : LEVEL[r.severity], enabled: !r.advisory },
              properties: { tags: ["kubernetes", "networking", r.id.split("/")[0]!] },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: base } },
        columnKind: "utf16CodeUnits",
        results,
        ...(report.coverage ? { properties: { coverage: report.coverage } } : {}),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}

/** The first paragraph after the title of a rule's page. */
function fullDescription(docs: string | undefined): string | undefined {
  if (!docs) return undefined;
  const para = docs.replace(/^#[^\n]*\n+/, "").split(/\n\s*\n/)[0]?.replace(/\s+/g, " ").trim();
  return para || undefined;
}
