/** Severities: preset, config `rules`, `--rule`, and `overrides` by file. */
import { picomatch } from "../lazy-deps.js";
import path from "node:path";
import type { ResolvedConfig } from "../config/config.js";
import type { Severity, SeverityOrOff } from "../types.js";
import type { RuleMeta } from "./rule.js";

export interface SeverityResolver {
  /** The configured severity for a rule at a file, or null when nothing configures it (the rule decides). */
  configured(ruleId: string, absFile: string | null): SeverityOrOff | null;
  /** Whether a rule runs at all (it may still be turned off for some files by an override). */
  enabled(meta: RuleMeta): boolean;
  /** Severity of one finding (`advisory` for an advisory finding of any rule). */
  resolve(meta: RuleMeta, reported: Severity | undefined, absFile: string | null, advisory?: boolean): SeverityOrOff;
}

export function severityResolver(config: ResolvedConfig, cliRules: Record<string, SeverityOrOff>): SeverityResolver {
  const overrides = config.overrides.map((o) => ({ ...o, match: picomatch(o.files, { dot: true }) }));
  const configured = (ruleId: string, absFile: string | null): SeverityOrOff | null => {
    let sev: SeverityOrOff | null = config.rules[ruleId] ?? null;
    if (absFile) {
      for (const o of overrides) {
        const rel = path.relative(o.base, absFile).split(path.sep).join("/");
        if (!rel.startsWith("..") && o.match(rel) && o.rules[ruleId]) sev = o.rules[ruleId]!;
      }
    }
    return cliRules[ruleId] ?? sev;
  };
  const base = (meta: RuleMeta): SeverityOrOff => (meta.advisory ? (config.preset === "strict" ? "info" : "off") : meta.severity);
  return {
    configured,
    enabled(meta) {
      if (cliRules[meta.id]) return cliRules[meta.id] !== "off";
      if ((config.rules[meta.id] ?? base(meta)) !== "off") return true;
      return overrides.some((o) => o.rules[meta.id] && o.rules[meta.id] !== "off");
    },
    resolve(meta, reported, absFile, advisory) {
      const c = configured(meta.id, absFile);
      if (c) return c;
      if (meta.advisory || advisory) return config.preset === "strict" ? "info" : "off";
      return reported ?? meta.severity;
    },
  };
}
