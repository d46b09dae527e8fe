import { defineRule } from "../../engine/rule.js";
import { labelsMatch } from "../../model/workloads.js";
import { nearestTier } from "../../model/nearest.js";
import { where } from "../lib/locations.js";
import { corednsWorkloads, isKubeDnsService, sameNamespace, serviceSelector } from "./lib/workload.js";

const show = (labels: Record<string, unknown>) => Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`).join(", ") || "no labels";

export default defineRule({
  meta: { id: "coredns/service-selector-mismatch", severity: "error", summary: "The kube-dns Service selects no CoreDNS pod: no endpoints, every lookup times out" },
  check({ cluster, report }) {
    const workloads = corednsWorkloads(cluster);
    for (const svc of cluster.objects) {
      if (!isKubeDnsService(svc)) continue;
      const selector = serviceSelector(svc);
      // Without a selector the endpoints are managed by hand (or by another controller): nothing to compare.
      if (!selector || Object.keys(selector).length === 0) continue;
      // The nearest CoreDNS workloads are this Service's (another directory's copy is another cluster's).
      const candidates = nearestTier(svc, workloads.filter((w) => sameNamespace(w.object, svc)).map((w) => ({ ...w, file: w.object.file })));
      if (candidates.length === 0 || candidates.some((w) => labelsMatch(selector, w.labels))) continue;
      const w = candidates[0]!;
      const [badKey, badValue] = Object.entries(selector).find(([k, v]) => w.labels[k] !== v)!;
      const loc = badKey in w.labels ? svc.rangeAt(["spec", "selector", badKey]) : svc.rangeAt(["spec", "selector", badKey], "key");
      const labelsLoc = w.object.rangeAt(["spec", "template", "metadata", "labels"], "key") ?? w.object.locate(["spec", "template"], "key");
      const labelLoc = badKey in w.labels ? w.object.rangeAt(["spec", "template", "metadata", "labels", badKey]) : undefined;
      const why = badKey in w.labels
        ? `the pods of ${w.object.kind} ${w.object.name} (${where(labelsLoc)}) have ${badKey}=${String(w.labels[badKey])}`
        : `the pods of ${w.object.kind} ${w.object.name} (${where(labelsLoc)}) have no label ${badKey}`;
      report({
        loc: loc ?? svc.locate(["spec", "selector"], "key"),
        message: `Service ${svc.name} selects ${badKey}=${String(badValue)}, but ${why} (their labels: ${show(w.labels)}): the Service has no endpoints and every DNS lookup in the cluster times out`,
        related: [
          { loc: labelsLoc, message: `pod template labels of ${w.object.kind} ${w.object.name}: ${show(w.labels)}` },
          // The label's own value, where it is set (a kustomize patch may set it in another file).
          ...(labelLoc && labelLoc.file !== labelsLoc.file ? [{ loc: labelLoc, message: `pod label ${badKey}=${String(w.labels[badKey])}` }] : []),
        ],
      });
    }
  },
});
