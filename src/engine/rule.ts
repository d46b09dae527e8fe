/** What a rule is: its metadata and one function from the cluster model to findings. */
import type { ClusterModel, Loc } from "../model/types.js";
import type { Fix, Severity } from "../types.js";

export interface RuleMeta {
  id: string;
  /** Default severity in the `recommended` preset. */
  severity: Severity;
  /** Off in `recommended`, on (as info) in `strict`. */
  advisory?: boolean;
  summary: string;
  fixable?: boolean;
}

export interface RuleReport {
  loc: Loc;
  message: string;
  related?: { loc: Loc; message: string }[];
  field?: string;
  fix?: Fix | null;
  /** For rules whose severity depends on the case (CRI-O skips what containerd fails on). */
  severity?: Severity;
  /** An advisory finding of a non-advisory rule: shown (as info) only under `extends: strict` or when the rule is configured. */
  advisory?: boolean;
}

export interface RuleContext {
  cluster: ClusterModel;
  report(report: RuleReport): void;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
