/**
 * Baselines: record today's findings, then report only new ones. A finding is matched by rule,
 * file and fingerprint (not line numbers), so unrelated edits keep it matched; entries that no
 * longer match are reported so that the baseline only shrinks.
 */
import { readFileSync } from "node:fs";
import { UsageError } from "../config/errors.js";
import type { Finding } from "../types.js";
import { TOOL_VERSION } from "./lint.js";

export interface BaselineEntry {
  ruleId: string;
  file: string;
  fingerprint: string;
  /** For the human reading the file: where it was and what it said when recorded. */
  line: number;
  message: string;
}

export interface Baseline {
  version: 1;
  tool: { name: "kube-netlint"; version: string };
  findings: BaselineEntry[];
}

const key = (e: { ruleId: string; file: string; fingerprint?: string | undefined }) => `${e.ruleId}\0${e.file}\0${e.fingerprint ?? ""}`;

export function makeBaseline(findings: readonly Finding[]): Baseline {
  return {
    version: 1,
    tool: { name: "kube-netlint", version: TOOL_VERSION },
    findings: findings.map((f) => ({ ruleId: f.ruleId, file: f.file, fingerprint: f.fingerprint ?? "", line: f.line, message: f.message })),
  };
}

export function readBaseline(file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`--baseline ${file}: ${err.code === "ENOENT" ? "no such file" : `not a kube-netlint baseline (${err.message})`}`);
  }
  const b = data as Partial<Baseline>;
  if (b?.version !== 1 || !Array.isArray(b.findings) || !b.findings.every((e) => e && typeof e.ruleId === "string" && typeof e.file === "string" && typeof e.fingerprint === "string")) {
    throw new UsageError(`--baseline ${file}: not a kube-netlint baseline (expected {"version": 1, "findings": [{ruleId, file, fingerprint, ...}]})`);
  }
  return b as Baseline;
}

/** Split findings into new ones and baselined ones; list the baseline entries nothing matched. */
export function applyBaseline<F extends Finding>(findings: readonly F[], baseline: Baseline): { kept: F[]; baselined: number; stale: BaselineEntry[] } {
  const remaining = new Map<string, BaselineEntry[]>();
  for (const e of baseline.findings) {
    const list = remaining.get(key(e)) ?? [];
    list.push(e);
    remaining.set(key(e), list);
  }
  const kept: F[] = [];
  let baselined = 0;
  for (const f of findings) {
    const list = remaining.get(key(f));
    if (list?.length) {
      list.shift();
      baselined++;
    } else kept.push(f);
  }
  return { kept, baselined, stale: [...remaining.values()].flat() };
}
