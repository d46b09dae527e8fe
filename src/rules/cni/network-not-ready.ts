import { defineRule } from "../../engine/rule.js";
import { nodeOf } from "../../model/load.js";
import { isCniPod } from "../../model/observed/components.js";
import { matchSymptom } from "../../model/observed/patterns.js";
import { deployedCnis } from "../lib/cni.js";
import { causeFindings, causeRelated, causeSentence, entryLoc, isRunningReady, quote, sentence, type Related } from "../lib/symptoms.js";

export default defineRule({
  meta: { id: "cni/network-not-ready", severity: "error", symptom: true, summary: "A Node is NotReady because its container runtime's network (CNI) is not ready" },
  check({ cluster, report, findings }) {
    const cnis = deployedCnis(cluster).filter((d) => d.vendor !== "multus");
    for (const n of cluster.observed.nodes) {
      // Ready=Unknown is a node that stopped reporting (NodeStatusUnknown), not a network problem.
      const ready = n.ready;
      if (!ready || ready.status !== "False") continue;
      const m = matchSymptom("node-ready", ready.message);
      if (!m) continue;
      // The node's own files (nodes/NAME/...), or files of no node.
      const causes = causeFindings(findings, m.pattern.causeRules, (f) => (nodeOf(f.loc.file.path)?.node ?? n.name) === n.name);
      const related: Related[] = [{ loc: n.object.rangeAt([...ready.path, "message"]) ?? entryLoc(n.object), message: `Ready ${ready.status}: ${ready.reason}` }];
      const taint = (n.object.value.spec as { taints?: { key?: string }[] } | undefined)?.taints?.findIndex((t) => t?.key === "node.kubernetes.io/not-ready") ?? -1;
      if (taint >= 0) related.push({ loc: n.object.rangeAt(["spec", "taints", taint]) ?? entryLoc(n.object), message: "the node.kubernetes.io/not-ready taint keeps pods that do not tolerate it (CoreDNS) Pending" });
      let evidence: string;
      const agents = cluster.observed.pods.filter((p) => isCniPod(p) && p.node === n.name);
      if (agents.length) {
        const bad = agents.filter((p) => !isRunningReady(p));
        evidence = bad.length ? ` The CNI pod on this node, ${bad[0]!.namespace}/${bad[0]!.name}, is not Running and Ready (${bad[0]!.phase || "no phase"}): read its log.` : "";
      } else if (cnis.length) {
        evidence = ` The snapshot has ${cnis.map((c) => `DaemonSet ${c.object.namespace ? `${c.object.namespace}/` : ""}${c.object.name}`).join(", ")} but no pod of it on this node.`;
      } else {
        evidence = " The snapshot shows no CNI DaemonSet: no network plugin seems to be installed (a CNI in a namespace of its own is in a snapshot only when that namespace was collected: \`kubectl cluster-info dump --namespaces kube-system,NS\`, \`kube-netlint collect -n NS\`).";
      }
      const message = `Node ${n.name} is NotReady: ${m.meaning} (${quote(ready.message)}).${causes.length ? causeSentence(causes) : `${evidence} ${sentence(m.pattern.next)}`}`;
      report({ loc: entryLoc(n.object), message, related: [...related, ...causeRelated(causes)] });
    }
  },
});
