import { defineRule } from "../../engine/rule.js";
import { isLoopbackAddress } from "../../parsers/net.js";
import type { Loc } from "../../model/types.js";
import { getPath } from "../../model/workloads.js";
import { directiveArgs } from "../lib/corefile.js";
import { where } from "../lib/locations.js";
import { splitHostPort } from "../../parsers/net.js";
import { asRecord, corednsWorkloads, parsedCorefile, podPorts, resolveTargetPort, servicePorts, servicesSelecting, targetLoc, tokenLoc } from "./lib/workload.js";

const METRICS_PORT = 9153;

export default defineRule({
  meta: { id: "coredns/metrics-not-exposed", severity: "warning", summary: "`prometheus` without an address listens on localhost:9153 while the Service or annotations expose 9153" },
  check({ cluster, report }) {
    for (const w of corednsWorkloads(cluster)) {
      const cf = parsedCorefile(w);
      if (!cf) continue;
      const proms = cf.parse.serverBlocks.flatMap((b) => b.directives).filter((d) => d.name === "prometheus");
      if (proms.length === 0) continue;
      const listens = proms.map((d) => {
        const arg = directiveArgs(d)[0];
        // The metrics plugin's default address is localhost:9153 (coredns/coredns:plugin/metrics/README.md).
        const hp = splitHostPort(arg?.text ?? "localhost:9153");
        return { d, arg, host: hp?.host ?? "", port: hp && /^[0-9]+$/.test(hp.port) ? Number(hp.port) : null };
      });
      if (listens.some((l) => l.port === null)) continue;
      if (listens.some((l) => l.port === METRICS_PORT && !isLoopbackAddress(l.host))) continue;
      const local = listens.find((l) => l.port === METRICS_PORT);
      if (!local) continue;
      // Who expects metrics on the pod's 9153: a Service port, or prometheus.io annotations.
      const exposed: { loc: Loc; message: string }[] = [];
      const pod = podPorts(w);
      for (const svc of servicesSelecting(cluster, w)) {
        for (const sp of servicePorts(svc)) {
          if (resolveTargetPort(sp, pod)?.port === METRICS_PORT) exposed.push({ loc: targetLoc(svc, sp), message: `Service ${svc.name} port ${sp.name || sp.port} sends to the pods' ${METRICS_PORT}` });
        }
        const ann = asRecord(getPath(svc.value, ["metadata", "annotations"]));
        if (ann && String(ann["prometheus.io/port"]) === String(METRICS_PORT)) {
          exposed.push({ loc: svc.locate(["metadata", "annotations", "prometheus.io/port"]), message: `Service ${svc.name} asks Prometheus to scrape port ${METRICS_PORT}` });
        }
      }
      const podAnn = asRecord(getPath(w.object.value, ["spec", "template", "metadata", "annotations"]));
      if (podAnn && String(podAnn["prometheus.io/port"]) === String(METRICS_PORT)) {
        exposed.push({ loc: w.object.locate(["spec", "template", "metadata", "annotations", "prometheus.io/port"]), message: `the pod template asks Prometheus to scrape port ${METRICS_PORT}` });
      }
      if (exposed.length === 0) continue;
      const t = local.arg ?? local.d.tokens[0]!;
      const how = local.arg ? `prometheus ${local.arg.text} listens on a loopback address` : "`prometheus` without an address listens on localhost:9153";
      report({
        loc: tokenLoc(cf, t),
        message: `${how}, inside the CoreDNS pod only, but ${exposed[0]!.message} (${where(exposed[0]!.loc)}): every scrape through the pod IP is refused and CoreDNS has no metrics. Write \`prometheus :${METRICS_PORT}\``,
        related: exposed,
      });
    }
  },
});
