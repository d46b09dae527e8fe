import { defineRule } from "../../engine/rule.js";
import { blockOptions } from "../lib/corefile.js";
import { asRecord, corednsWorkloads, parsedCorefile, parseQuantity } from "./lib/workload.js";

/** The cache plugin's default capacity of each of its two caches (coredns/coredns:plugin/cache/README.md). */
const DEFAULT_CAPACITY = 9984;
/** Scaling_CoreDNS.md: a full default cache (about 10000 entries) takes about 30 MB. */
const MB_PER_ENTRY = 30 / 10000;
const MB = 1e6;

export default defineRule({
  meta: { id: "coredns/memory-limit-low", severity: "warning", summary: "CoreDNS's memory limit is below its sizing for the snapshot's pods and services" },
  check({ cluster, report }) {
    // Only a snapshot holds every Pod and Service of the cluster.
    if (!cluster.isSnapshot) return;
    const objects = cluster.counts.pods + cluster.counts.services;
    for (const w of corednsWorkloads(cluster)) {
      const limitPath = [...w.container.path, "resources", "limits", "memory"];
      const raw = asRecord(asRecord(w.container.value.resources)?.limits)?.memory;
      const limit = parseQuantity(raw);
      if (limit === null) continue;
      const cf = parsedCorefile(w);
      const directives = cf ? cf.parse.serverBlocks.flatMap((b) => b.directives) : [];
      const autopath = directives.some((d) => d.name === "autopath");
      // Scaling_CoreDNS.md: (pods + services)/1000 + 54 MB, or /250 + 56 MB with autopath; both include a 30 MB default cache.
      let required = autopath ? objects / 250 + 56 : objects / 1000 + 54;
      let extraEntries = 0;
      for (const d of directives.filter((x) => x.name === "cache")) {
        for (const o of blockOptions(d)) {
          if (o.name.text !== "success" && o.name.text !== "denial") continue;
          const capacity = Number(o.args[0]?.text);
          if (Number.isInteger(capacity) && capacity > DEFAULT_CAPACITY) extraEntries += capacity - DEFAULT_CAPACITY;
        }
      }
      required += extraEntries * MB_PER_ENTRY;
      if (limit >= required * MB) continue;
      const formula = autopath ? "(pods + services)/250 + 56 MB with autopath" : "(pods + services)/1000 + 54 MB";
      const cache = extraEntries ? `, plus ${(extraEntries * MB_PER_ENTRY).toFixed(1)} MB for ${extraEntries} cache entries above the default capacity` : "";
      report({
        loc: w.object.locate(limitPath),
        message: `the memory limit ${String(raw)} (${(limit / MB).toFixed(1)} MB) of container ${w.container.name} is below CoreDNS's sizing for this cluster: ${cluster.counts.pods} pods + ${cluster.counts.services} services need about ${required.toFixed(1)} MB (${formula}${cache}, coredns/deployment Scaling_CoreDNS.md): CoreDNS is OOMKilled as the cluster grows or its cache fills`,
      });
    }
  },
});
