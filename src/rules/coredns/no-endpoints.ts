import { defineRule, type ClusterFinding } from "../../engine/rule.js";
import { isKnownNotReady } from "../../model/observed/build.js";
import { isCorednsPod } from "../../model/observed/components.js";
import type { K8sObject } from "../../model/types.js";
import { getPath } from "../../model/workloads.js";
import { causeFindings, causeRelated, causeSentence, entryLoc, isCrashing, logEvidence, quote, sentence, type Related } from "../lib/symptoms.js";

const DNS_SERVICE = /^(kube-dns|coredns|rke2-coredns-rke2-coredns)$/;

function selectorOf(svc: K8sObject): Record<string, string> | null {
  const sel = getPath(svc.value, ["spec", "selector"]);
  if (!sel || typeof sel !== "object" || Array.isArray(sel)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(sel)) if (typeof v === "string") out[k] = v;
  return Object.keys(out).length ? out : null;
}

export default defineRule({
  meta: { id: "coredns/no-endpoints", severity: "error", symptom: true, summary: "The kube-dns Service has no ready endpoint: cluster DNS does not answer" },
  check({ cluster, report, findings }) {
    const obs = cluster.observed;
    for (const svc of cluster.objects) {
      if (svc.kind !== "Service" || !DNS_SERVICE.test(svc.name) || getPath(svc.value, ["spec", "type"]) === "ExternalName") continue;
      const selector = selectorOf(svc);
      if (!selector) continue;
      const ns = svc.namespace || "kube-system";
      const eps = obs.endpoints.filter((e) => e.service === svc.name && (e.namespace || "kube-system") === ns);
      const inNs = obs.pods.filter((p) => p.namespace === ns);
      const selected = inNs.filter((p) => Object.entries(selector).every(([k, v]) => p.labels[k] === v));
      let at: K8sObject;
      let inferred = "";
      const related: Related[] = [];
      if (eps.length) {
        if (eps.some((e) => e.ready.length > 0)) continue;
        const main = eps.find((e) => e.kind === "Endpoints") ?? eps[0]!;
        at = main.object;
        const notReady = [...new Set(eps.flatMap((e) => e.notReady))];
        inferred = notReady.length ? `its ${main.kind} lists only not-ready addresses (${notReady.slice(0, 4).join(", ")})` : `its ${main.kind} lists no address`;
        for (const e of eps) if (e !== main) related.push({ loc: entryLoc(e.object), message: `${e.kind} ${e.object.name}: no ready endpoint either` });
      } else {
        // A dump has no Endpoints: infer from the selector and the pods' Ready condition, where the snapshot lists this namespace's pods.
        if (obs.has.endpoints && obs.endpoints.some((e) => (e.namespace || "kube-system") === ns)) continue;
        if (!obs.podNamespaces.has(ns) || (selected.length && !selected.every(isKnownNotReady))) continue;
        at = svc;
        inferred = `the snapshot has no Endpoints, but ${selected.length ? `none of the ${selected.length} pods its selector matches is Ready` : "its selector matches no pod"} (inferred from the selector and the pods' Ready condition)`;
      }
      const sel = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(",");
      let why: string;
      let causes: ClusterFinding[];
      let next = "";
      if (!selected.length) {
        const dnsPods = inNs.filter(isCorednsPod);
        causes = causeFindings(findings, ["coredns/service-selector-mismatch"]);
        why = `the selector ${sel} matches no pod${dnsPods.length ? ` (the CoreDNS pods are labelled ${Object.entries(dnsPods[0]!.labels).filter(([k]) => k !== "pod-template-hash").map(([k, v]) => `${k}=${v}`).join(",")})` : ""}`;
        related.push({ loc: svc.rangeAt(["spec", "selector"]) ?? entryLoc(svc), message: `selector ${sel}` });
      } else {
        const crashing = selected.filter((p) => p.containers.some(isCrashing));
        const pending = selected.filter((p) => p.phase === "Pending");
        causes = causeFindings(findings, ["coredns/crash-loop", "coredns/pods-pending", "coredns/rbac-insufficient", "coredns/probe-plugin-missing", "coredns/port-mismatch"]);
        // One problem, one finding: pods that crash-loop or stay Pending are those rules' findings, the missing endpoints follow.
        if ((crashing.length && findings.some((f) => f.ruleId === "coredns/crash-loop")) || (pending.length && findings.some((f) => f.ruleId === "coredns/pods-pending"))) continue;
        if (crashing.length) why = `${crashing.length} of its ${selected.length} pods crash-loop`;
        else if (pending.length) why = `${pending.length} of its ${selected.length} pods are Pending`;
        else {
          const running = selected.find((p) => p.phase === "Running") ?? selected[0]!;
          const c = running.containers.find((x) => !x.init) ;
          const ev = c ? logEvidence(cluster, running, c, "coredns-log").evidence : null;
          const probe = running.events.find((e) => e.reason === "Unhealthy");
          why = `its ${selected.length} pods run but are not ready`;
          if (ev) {
            why += `: ${running.name}'s log says ${quote(ev.line)} (${ev.match.meaning})`;
            if (ev.loc) related.push({ loc: ev.loc, message: ev.match.meaning });
            next = ev.match.pattern.next;
            causes = [...causeFindings(findings, ev.match.pattern.causeRules), ...causes.filter((f) => !ev.match.pattern.causeRules.includes(f.ruleId))];
          } else if (probe) why += ` (${quote(probe.message)})`;
        }
      }
      const fallback = next ? ` ${sentence(next)}` : " Check the Service's selector and ports against the CoreDNS pods' labels and ports, and why the pods are not Ready (kubectl describe pod).";
      const message = `The ${svc.name} Service (${ns}) has no ready endpoint, so cluster DNS does not answer: ${inferred}; ${why}.${causes.length ? causeSentence(causes) : fallback}`;
      report({ loc: entryLoc(at), message, related: [...related, ...causeRelated(causes)] });
    }
  },
});
