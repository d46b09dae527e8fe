import { defineRule, type ClusterFinding } from "../../engine/rule.js";
import { isCorednsPod, workloadOf } from "../../model/observed/components.js";
import { matchSymptom, type PatternMatch } from "../../model/observed/patterns.js";
import type { ObservedPod } from "../../model/observed/types.js";
import { causeFindings, causeRelated, causeSentence, entryLoc, eventLoc, otherPods, podsText, quote, sentence, type Related } from "../lib/symptoms.js";

interface Why {
  key: string;
  text: string;
  match: PatternMatch | null;
  related: Related[];
  /** Symptom findings that are the cause (a NotReady node, a failing sandbox). */
  symptomRules: string[];
}

/** Why a Pending pod does not start, from its conditions and events; null when nothing says (just created). */
function whyPending(pod: ObservedPod, notReadyNodes: Set<string>): Why | null {
  const sched = pod.conditions.find((c) => c.type === "PodScheduled" && c.status === "False");
  const failedSched = [...pod.events].reverse().find((e) => e.reason === "FailedScheduling");
  if (sched || (!pod.node && failedSched)) {
    const text = sched?.message || failedSched?.message || "";
    const m = matchSymptom("scheduling", text);
    const loc = sched ? pod.object.rangeAt([...sched.path, "message"]) ?? entryLoc(pod.object) : eventLoc(failedSched!);
    return { key: `sched:${m?.pattern.id ?? text}`, text: `it cannot be scheduled: ${m ? m.meaning : "the scheduler says"} (${quote(text)})`, match: m, related: [{ loc, message: "the scheduler's message" }], symptomRules: [] };
  }
  const warnings = pod.events.filter((e) => e.type === "Warning");
  const sandbox = warnings.find((e) => e.reason === "FailedCreatePodSandBox");
  if (sandbox) {
    const m = matchSymptom("sandbox", sandbox.message);
    return { key: `sandbox:${m?.pattern.id ?? ""}`, text: `its sandbox cannot be created (${m ? m.meaning : quote(sandbox.message)})`, match: m, related: [{ loc: eventLoc(sandbox), message: "FailedCreatePodSandBox" }], symptomRules: ["cni/sandbox-failed"] };
  }
  const netNotReady = warnings.find((e) => e.reason === "NetworkNotReady");
  if (netNotReady || (pod.node && notReadyNodes.has(pod.node))) {
    const related = netNotReady ? [{ loc: eventLoc(netNotReady), message: "NetworkNotReady" }] : [];
    return { key: "net", text: `its node ${pod.node ?? ""} has no ready network (NetworkNotReady)`, match: null, related, symptomRules: ["cni/network-not-ready", "cni/no-network"] };
  }
  const other = warnings.find((e) => /^Failed/.test(e.reason));
  if (other) {
    const m = matchSymptom("pod-event", other.message);
    return { key: `event:${other.reason}`, text: `${other.reason}: ${m ? m.meaning : quote(other.message)}`, match: m, related: [{ loc: eventLoc(other), message: other.reason }], symptomRules: [] };
  }
  return null;
}

export default defineRule({
  meta: { id: "coredns/pods-pending", severity: "error", symptom: true, summary: "CoreDNS pods Pending or stuck in ContainerCreating, with the cause from their conditions and events" },
  check({ cluster, report, findings }) {
    const pods = cluster.observed.pods.filter(isCorednsPod);
    const notReady = new Set(cluster.observed.nodes.filter((n) => n.ready?.status === "False").map((n) => n.name));
    const pending = pods.filter((p) => p.phase === "Pending");
    const groups = new Map<string, { pod: ObservedPod; why: Why | null }[]>();
    for (const pod of pending) {
      const why = whyPending(pod, notReady);
      // A Pending pod nothing explains is one just created, unless no CoreDNS pod runs at all.
      if (!why && pending.length < pods.length) continue;
      const key = `${workloadOf(pod)}\0${why?.key ?? ""}`;
      groups.set(key, [...(groups.get(key) ?? []), { pod, why }]);
    }
    for (const group of groups.values()) {
      const { pod, why } = group[0]!;
      const state = pod.containers.find((c) => c.state.kind === "waiting")?.state.reason;
      let message = `CoreDNS ${podsText(group, pods)} is Pending${state ? ` (${state})` : ""}: `;
      let causes: ClusterFinding[] = [];
      if (why) {
        // A sandbox-failed finding names the pods it is about: this group's, not another cause's.
        const names = group.map((g) => `${g.pod.namespace}/${g.pod.name}`);
        causes = causeFindings(findings, [...why.symptomRules, ...(why.match?.pattern.causeRules ?? [])], (f) => f.ruleId !== "cni/sandbox-failed" || names.some((n) => f.message.includes(n)));
        message += why.text + ".";
        message += causes.length ? causeSentence(causes) : why.match ? ` ${sentence(why.match.pattern.next)}` : "";
      } else {
        message += "no condition or event in the snapshot says why. Check `kubectl describe pod` for the scheduler's and the kubelet's events; without a network plugin every node is NotReady and CoreDNS stays Pending.";
      }
      const related = [...(why?.related ?? []), ...otherPods(group, "Pending too"), ...causeRelated(causes)];
      report({ loc: entryLoc(pod.object), message, related });
    }
  },
});
