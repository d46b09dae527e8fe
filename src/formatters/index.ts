/** Formatters are plain functions from the report to a string; the engine never knows which one runs. */
import type { JsonReport } from "../engine/lint.js";

export interface RuleInfo {
  id: string;
  severity: "error" | "warning" | "info";
  advisory: boolean;
  summary: string;
  docsUrl: string;
  /** The rule's documentation page (Markdown), when available. */
  docs?: string;
}

export interface FormatContext {
  cwd: string;
  color: boolean;
  /** Every file that held a networking artifact (display paths), findings or not. */
  files: string[];
  rules: RuleInfo[];
}

/**
 * A formatter's text: whole, or in pieces to be written in order (a report of 300,000 findings is
 * 150 MB of JSON: written piece by piece it never has to be one string and one buffer at once).
 */
export type FormatOutput = string | { pieces: Iterable<string> };

export type Formatter = (report: JsonReport, context: FormatContext) => FormatOutput | Promise<FormatOutput>;

/** A report with more findings than this is written in pieces (JSON: at most this many results a piece; compact: 100 lines). */
export const RESULTS_PER_PIECE = 2000;

/** The pieces of a formatter's output, in order. */
export function piecesOf(out: FormatOutput): Iterable<string> {
  return typeof out === "string" ? [out] : out.pieces;
}

export const FORMAT_NAMES = ["pretty", "compact", "json", "sarif", "junit", "github"] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** Formatters load lazily: a run pays only for the one it uses. */
export async function loadFormatter(name: FormatName): Promise<Formatter> {
  switch (name) {
    case "compact":
      return (await import("./compact.js")).formatCompact;
    case "json":
      return (await import("./json.js")).formatJson;
    case "pretty":
      return (await import("./pretty.js")).formatPretty;
    case "sarif":
      return (await import("./sarif.js")).formatSarif;
    case "junit":
      return (await import("./junit.js")).formatJunit;
    case "github":
      return (await import("./github.js")).formatGithub;
  }
}
