/** The programmatic API: `import { lint, inspect, parseCorefile } from "kube-netlint"`. */
import { corefileEntry, runInspect, type CorefileEntry } from "./engine/inspect.js";
import { runLint, type JsonReport, type LintOptions } from "./engine/lint.js";
import { parseCorefile as parseCorefileRaw } from "./parsers/corefile/index.js";

export type { Finding, Severity, SourceRange, RelatedLocation, Fix, TextEdit } from "./types.js";
export type { JsonReport, LintOptions, CorefileEntry };

/** Lint files, directories or globs (`-` = options.stdin); returns the JSON report (version 1). Throws UsageError on bad input. */
export function lint(paths: readonly string[], options: LintOptions = {}): JsonReport {
  return runLint(paths, { ...options, releaseModels: true }).report;
}

/** The cluster model the rules see, as `kube-netlint inspect --format json` prints it. */
export function inspect(paths: readonly string[], options: LintOptions = {}) {
  return runInspect(paths, options);
}

export interface ParseCorefileApiOptions {
  filename?: string;
  env?: Record<string, string>;
  files?: Record<string, string | null>;
}

/** Parse a Corefile exactly as CoreDNS does; returns one `corefiles[]` entry with the Corefile's own line numbers. */
export function parseCorefile(text: string, options: ParseCorefileApiOptions = {}): CorefileEntry {
  const filename = options.filename ?? "Corefile";
  const opts: { filename: string; env: Record<string, string>; files?: Record<string, string | null> } = { filename, env: options.env ?? {} };
  if (options.files) opts.files = options.files;
  return corefileEntry(parseCorefileRaw(text, opts), filename);
}

export { UsageError } from "./config/errors.js";
export { RULES } from "./rules/index.js";
