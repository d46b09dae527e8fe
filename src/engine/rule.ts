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
  /**
   * Reads what the cluster shows (Pod status, events, logs) and names the configuration finding
   * that causes it: runs after every other rule of the cluster, and sees their findings.
   */
  symptom?: boolean;
}

export interface RuleReport {
  loc: Loc;
  message: string;
  related?: { loc: Loc; message: string; causeRuleId?: string }[];
  field?: string;
  fix?: Fix | null;
  /** For rules whose severity depends on the case (CRI-O skips what containerd fails on). */
  severity?: Severity;
  /** An advisory finding of a non-advisory rule: shown (as info) only under `extends: strict` or when the rule is configured. */
  advisory?: boolean;
}

/** A finding an earlier rule reported for the same cluster (suppressed or not): a symptom rule names it as the cause. */
export interface ClusterFinding {
  ruleId: string;
  loc: Loc;
  message: string;
}

export interface RuleContext {
  cluster: ClusterModel;
  report(report: RuleReport): void;
  /** What the rules that ran before this one reported for this cluster (complete for symptom rules). */
  findings: readonly ClusterFinding[];
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
