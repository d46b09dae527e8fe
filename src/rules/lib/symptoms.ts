/**
 * What the symptom rules share: where a pod's finding stands, how a container's state reads, the
 * cause read from its logs (through the pattern table), and the configuration findings of the
 * same cluster that are the cause.
 */
import type { ClusterFinding, RuleReport } from "../../engine/rule.js";
import { isRunningReady } from "../../model/observed/build.js";
import { workloadOf } from "../../model/observed/components.js";
import { SYMPTOM_PATTERNS, matchSymptom, type PatternMatch, type PatternSite, type SymptomPattern } from "../../model/observed/patterns.js";
import type { ContainerLog, ObservedContainer, ObservedEvent, ObservedPod } from "../../model/observed/types.js";
import type { ClusterModel, K8sObject, Loc } from "../../model/types.js";
import { eachLine } from "../../parsers/lines.js";
import { where } from "./locations.js";

export type Related = NonNullable<RuleReport["related"]>[number];

/** Where a finding about an object stands: its name in the snapshot's entry. */
export function entryLoc(obj: { rangeAt: (p: (string | number)[]) => Loc | undefined; loc: Loc }): Loc {
  return obj.rangeAt(["metadata", "name"]) ?? obj.loc;
}

/** "CrashLoopBackOff (last exit: Error, code 1; 12 restarts)". */
export function stateText(c: ObservedContainer): string {
  const now = c.state.kind === "running" ? (c.ready ? "Running" : "Running, not ready") : c.state.reason || c.state.kind;
  const last = c.lastState.kind === "terminated" ? `last exit: ${c.lastState.reason || "terminated"}${c.lastState.exitCode !== null ? `, code ${c.lastState.exitCode}` : ""}` : "";
  const cur = c.state.kind === "terminated" && c.state.exitCode !== null ? `exit code ${c.state.exitCode}` : "";
  const restarts = c.restartCount ? `${c.restartCount} restart${c.restartCount === 1 ? "" : "s"}` : "";
  const detail = [cur, last, restarts].filter(Boolean).join("; ");
  return detail ? `${now} (${detail})` : now;
}

/**
 * Whether a container is crashing: back-off, a failed exit, or restarting after Error/OOMKilled and
 * not ready yet. A container that runs and is ready is healthy whatever its restart count (a node
 * reboot leaves `lastState.terminated.reason: Unknown`).
 */
export function isCrashing(c: ObservedContainer): boolean {
  if (c.state.kind === "running" && c.ready) return false;
  if (c.state.kind === "waiting") return /^(CrashLoopBackOff|RunContainerError)$/.test(c.state.reason);
  if (c.state.kind === "terminated") return c.state.reason !== "Completed" && c.state.exitCode !== 0;
  if (c.state.kind === "running") return c.restartCount > 0 && c.lastState.kind === "terminated" && /^(Error|OOMKilled)$/.test(c.lastState.reason);
  return false;
}

export function wasOomKilled(c: ObservedContainer): boolean {
  return c.lastState.reason === "OOMKilled" || c.state.reason === "OOMKilled";
}

export interface LogEvidence {
  match: PatternMatch;
  /** The log line (null when the text is the container status's termination message). */
  loc: Loc | null;
  line: string;
}

/** The most telling known line in a container's logs (previous instance first), or its termination message. */
export function logEvidence(cluster: ClusterModel, pod: ObservedPod, c: ObservedContainer, site: PatternSite): { evidence: LogEvidence | null; logs: ContainerLog[]; lastError: { line: string; loc: Loc } | null } {
  const logs = cluster.observed.logs(pod, c.name);
  let lastError: { line: string; loc: Loc } | null = null;
  const rank = (p: SymptomPattern) => SYMPTOM_ORDER.get(p.id) ?? 1e9;
  for (const log of logs) {
    if (log.error) continue;
    let best: LogEvidence | null = null;
    const text = log.file.text.slice(log.start, log.end);
    for (const l of eachLine(text)) {
      if (!l.text.trim()) continue;
      const m = matchSymptom(site, l.text);
      const loc: Loc = { file: log.file, start: log.start + l.start, end: log.start + l.start + l.text.length };
      if (m && (!best || rank(m.pattern) <= rank(best.match.pattern))) best = { match: m, loc, line: l.text.trim() };
      if (/\[(FATAL|ERROR)\]|^E\d{4} |\berr(or)?[=:]|\bfailed\b|\bpanic:/i.test(l.text)) lastError = { line: l.text.trim(), loc };
    }
    if (best) return { evidence: best, logs, lastError };
  }
  for (const st of [c.lastState, c.state]) {
    const m = st.message ? matchSymptom(site, st.message) : null;
    if (m) return { evidence: { match: m, loc: pod.object.rangeAt([...st.path, "message"]) ?? null, line: st.message.trim() }, logs, lastError };
  }
  return { evidence: null, logs, lastError };
}

const SYMPTOM_ORDER = new Map(SYMPTOM_PATTERNS.map((p, i) => [p.id, i]));

/** The findings of the cause rules in this cluster, as related locations ("caused by"), in the table's order. */
export function causeFindings(findings: readonly ClusterFinding[], ruleIds: readonly string[], keep: (f: ClusterFinding) => boolean = () => true): ClusterFinding[] {
  const out: ClusterFinding[] = [];
  for (const id of ruleIds) for (const f of findings) if (f.ruleId === id && keep(f)) out.push(f);
  return out;
}

export function causeRelated(causes: readonly ClusterFinding[]): Related[] {
  return causes.map((f) => ({ loc: f.loc, message: `caused by ${f.ruleId}: ${shorten(f.message)}`, causeRuleId: f.ruleId }));
}

/** " Caused by coredns/forward-loop at Corefile:12 (and 1 more)." or "" */
export function causeSentence(causes: readonly ClusterFinding[]): string {
  if (!causes.length) return "";
  const first = causes[0]!;
  const more = causes.length > 1 ? `; also ${causes.slice(1, 4).map((c) => `${c.ruleId} at ${where(c.loc)}`).join(", ")}${causes.length > 4 ? ` and ${causes.length - 4} more` : ""}` : "";
  return ` Caused by ${first.ruleId} at ${where(first.loc)}${more}.`;
}

export function shorten(s: string, max = 160): string {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > max ? t.slice(0, max - 1) + "…" : t;
}

export function quote(line: string): string {
  return `"${shorten(line, 140)}"`;
}

/** Pods grouped by their workload (a Deployment's replicas are one problem). */
export function byWorkload<T extends { pod: ObservedPod }>(items: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const it of items) {
    const k = workloadOf(it.pod);
    const g = groups.get(k);
    if (g) g.push(it);
    else groups.set(k, [it]);
  }
  return [...groups.values()];
}

/** "pod kube-system/coredns-abc" or "2 of 2 pods of Deployment kube-system/coredns (coredns-abc, coredns-def)". */
export function podsText(group: readonly { pod: ObservedPod }[], all: readonly ObservedPod[]): string {
  const first = group[0]!.pod;
  if (group.length === 1 && !first.owner) return `pod ${first.namespace}/${first.name}`;
  const w = workloadOf(first);
  const total = all.filter((p) => workloadOf(p) === w).length;
  if (group.length === 1) return `pod ${first.namespace}/${first.name}${total > 1 ? ` (1 of ${total} pods of ${w})` : ` of ${w}`}`;
  return `${group.length} of ${total} pods of ${w} (${group.slice(0, 4).map((g) => g.pod.name).join(", ")}${group.length > 4 ? ", ..." : ""})`;
}

/** The other pods of a group as related locations. */
export function otherPods(group: readonly { pod: ObservedPod }[], what: string): Related[] {
  return group.slice(1, 6).map((g) => ({ loc: entryLoc(g.pod.object), message: `${g.pod.name}: ${what}` }));
}

export function eventLoc(e: ObservedEvent): Loc {
  return e.object.rangeAt(["message"]) ?? e.object.rangeAt(["reason"]) ?? e.object.loc;
}

export { isRunningReady };

/** The first letter upper-case: a pattern's `next` as a sentence. */
export function sentence(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1) + (/[.!?]$/.test(s) ? "" : ".");
}

/** The observed pods of a workload (a DaemonSet's, a Deployment's through its ReplicaSets, or the Pod itself). */
export function podsOf(cluster: ClusterModel, obj: K8sObject): ObservedPod[] {
  const ns = obj.namespace;
  return cluster.observed.pods.filter((p) => {
    if (obj.kind === "Pod") return p.object === obj;
    if (ns && p.namespace !== ns) return false;
    if (!p.owner) return false;
    if (obj.kind === "Deployment") return p.owner.kind === "ReplicaSet" && p.owner.name.startsWith(`${obj.name}-`) && /^[a-z0-9]{5,10}$/.test(p.owner.name.slice(obj.name.length + 1));
    return p.owner.kind === obj.kind && p.owner.name === obj.name;
  });
}

/** The snapshot shows the workload's pods, and every one of them Running and Ready. */
export function runsHealthy(cluster: ClusterModel, obj: K8sObject): boolean {
  const pods = podsOf(cluster, obj);
  return pods.length > 0 && pods.every(isRunningReady);
}
