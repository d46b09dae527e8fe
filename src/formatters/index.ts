/** Formatters are plain functions from the report to a string; the engine never knows which one runs. */
import type { JsonReport } from "../engine/lint.js";

export interface FormatContext {
  cwd: string;
  color: boolean;
}

export type Formatter = (report: JsonReport, context: FormatContext) => string | Promise<string>;

export const FORMAT_NAMES = ["pretty", "compact", "json"] as const;
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
  }
}
