/**
 * The crash-loop symptom, shared by coredns/crash-loop and kube-proxy/crash-loop: the component's
 * crashing containers, one finding per workload, the cause read from the last logs (pattern
 * table), and the configuration findings of the cluster that explain it.
 */
import type { ClusterFinding, RuleContext } from "../../engine/rule.js";
import { SYMPTOM_PATTERNS, matchSymptom, type PatternSite } from "../../model/observed/patterns.js";
import type { ObservedContainer, ObservedPod } from "../../model/observed/types.js";
import { containers, getPath } from "../../model/workloads.js";
import { where } from "./locations.js";
import {
  byWorkload, causeFindings, causeRelated, causeSentence, entryLoc, isCrashing, logEvidence, otherPods, podsText, quote, stateText, wasOomKilled, type Related,
} from "./symptoms.js";

export interface CrashLoopSpec {
  /** "CoreDNS" */
  component: string;
  isPod: (p: ObservedPod) => boolean;
  isContainer: (c: ObservedContainer) => boolean;
  site: PatternSite;
  /** What to check when neither the logs nor a rule tell. */
  checkNext: string;
}

export function checkCrashLoop({ cluster, report, findings }: RuleContext, spec: CrashLoopSpec): void {
  const pods = cluster.observed.pods.filter(spec.isPod);
  const crashes = pods.flatMap((pod) => pod.containers.filter((c) => spec.isContainer(c) && isCrashing(c)).map((container) => ({ pod, container })));
  const candidates = [...new Set(SYMPTOM_PATTERNS.filter((p) => p.site === spec.site || (p.site === "container-status" && spec.site === "coredns-log")).flatMap((p) => p.causeRules))];
  for (const group of byWorkload(crashes)) {
    const first = group[0]!;
    // The first pod whose logs (or status) tell why; else the first pod.
    let chosen = first;
    let read = logEvidence(cluster, first.pod, first.container, spec.site);
    for (const g of group.slice(1)) {
      if (read.evidence) break;
      const r = logEvidence(cluster, g.pod, g.container, spec.site);
      if (r.evidence) [chosen, read] = [g, r];
    }
    const { pod, container } = chosen;
    const oom = !read.evidence && wasOomKilled(container) ? matchSymptom("container-status", "OOMKilled") : null;
    const m = read.evidence?.match ?? oom;
    const related: Related[] = [];
    const stateLoc = pod.object.rangeAt(container.state.path) ?? entryLoc(pod.object);
    let what = `${spec.component} ${podsText(group, pods)} ${group.length > 1 ? "are" : "is"} crashing: ${stateText(container)}`;
    let causes: ClusterFinding[];
    if (m) {
      if (read.evidence?.loc) {
        what += `: ${read.evidence.loc.file === pod.object.file ? "its status says" : "its log says"} ${quote(read.evidence.line)} (${where(read.evidence.loc)})`;
        related.push({ loc: read.evidence.loc, message: `the ${read.evidence.loc.file === pod.object.file ? "termination message" : "log line"}: ${m.meaning}` });
      }
      what += `: ${m.meaning}`;
      if (oom) {
        const limit = containers(pod.object).find((c) => c.name === container.name)?.value;
        const mem = getPath(limit, ["resources", "limits", "memory"]);
        if (typeof mem === "string" || typeof mem === "number") what += ` at its memory limit ${mem}`;
      }
      causes = causeFindings(findings, m.pattern.causeRules);
      what += causes.length ? `.${causeSentence(causes)}` : `. No configuration rule found the cause in this snapshot: ${m.pattern.next}.`;
    } else {
      causes = causeFindings(findings, candidates);
      const noLog = read.logs.length === 0 ? "the snapshot holds no log of it" : read.logs.every((l) => l.error) ? `its log ${logError(read.logs.find((l) => l.error)!.error!)}` : "no known error is in its last log";
      const last = read.lastError ? ` (its last error line: ${quote(read.lastError.line)}, ${where(read.lastError.loc)})` : "";
      if (read.lastError) related.push({ loc: read.lastError.loc, message: "the last error line in the log" });
      what += `; ${noLog}${last}.`;
      what += causes.length ? ` The configuration has problems that crash ${spec.component}:${causeSentence(causes).replace(/^ Caused by/, "")}` : ` ${spec.checkNext}.`;
    }
    related.push({ loc: stateLoc, message: `container ${container.name}: ${stateText(container)}` });
    related.push(...otherPods(group, "crashing too"));
    related.push(...causeRelated(causes));
    report({ loc: entryLoc(pod.object), message: what, related });
  }
}

/** "could not be read (binary content)" for a file kube-netlint could not read; "could not be fetched (...)" for what the snapshot's tool wrote instead. */
function logError(error: string): string {
  const m = /^could not be read: (.*)$/.exec(error);
  return m ? `could not be read (${m[1]})` : `could not be fetched (${error})`;
}
