import { defineRule } from "../../engine/rule.js";
import type { K8sObject, Loc, NodeInfo } from "../../model/types.js";
import { getPath, podSpec } from "../../model/workloads.js";
import { where } from "../lib/locations.js";
import { workloadName } from "./lib/describe.js";
import { kubeProxyRunners, type KubeProxyRunner } from "./lib/workload.js";

interface Renamed {
  node: NodeInfo;
  hostname: string;
  loc: Loc;
}

/** The Node's Hostname address, when it differs from the Node's name the way kube-proxy compares them (lower-cased, trimmed). */
function renamed(node: NodeInfo): Renamed | null {
  const obj = node.object;
  const addresses = obj ? getPath(obj.value, ["status", "addresses"]) : undefined;
  if (!obj || !Array.isArray(addresses)) return null;
  const i = addresses.findIndex((a) => a && typeof a === "object" && (a as { type?: unknown }).type === "Hostname" && typeof (a as { address?: unknown }).address === "string");
  if (i < 0) return null;
  const hostname = (addresses[i] as { address: string }).address;
  // Troubleshoot bundles redact values as ***HIDDEN***: unknown, not different.
  if (hostname.includes("HIDDEN") || hostname.trim() === "") return null;
  if (hostname.trim().toLowerCase() === node.name) return null;
  return { node, hostname, loc: obj.rangeAt(["status", "addresses", i, "address"]) ?? obj.loc };
}

function envNames(r: KubeProxyRunner): Set<string> {
  const env = Array.isArray(r.container.value.env) ? (r.container.value.env as unknown[]) : [];
  return new Set(env.flatMap((e) => (e && typeof e === "object" && typeof (e as { name?: unknown }).name === "string" ? [(e as { name: string }).name] : [])));
}

/** Where the flags are: the command or args list of the container. */
function flagListLoc(r: KubeProxyRunner): Loc {
  const field = r.container.args.some((a) => a.startsWith("--")) ? "args" : "command";
  return r.object.rangeAt([...r.container.path, field], "key") ?? r.object.locate(r.container.path);
}

/** Nodes a workload's pods run on: a Pod's spec.nodeName, a DaemonSet's nodes that match its kubernetes.io/os selector. */
function nodesOf(obj: K8sObject, nodes: NodeInfo[]): NodeInfo[] {
  if (obj.kind === "Pod") {
    const name = getPath(obj.value, ["spec", "nodeName"]);
    return nodes.filter((n) => n.name === name);
  }
  const os = getPath(podSpec(obj), ["nodeSelector", "kubernetes.io/os"]);
  return nodes.filter((n) => {
    const label = n.object ? getPath(n.object.value, ["metadata", "labels", "kubernetes.io/os"]) : undefined;
    return typeof os !== "string" || typeof label !== "string" || label === os;
  });
}

export default defineRule({
  meta: { id: "kube-proxy/hostname-override", severity: "info", advisory: true, summary: "kube-proxy runs without --hostname-override=$(NODE_NAME) while Nodes are named differently from their hostnames" },
  check({ cluster, report }) {
    const nodes = [...cluster.nodes.values()].filter((n) => n.object).sort((a, b) => (a.name < b.name ? -1 : 1));
    const runners = kubeProxyRunners(cluster);
    // Pods of a DaemonSet that is itself in the input are not runners of their own (kubeProxyRunners).
    for (const r of runners) {
      if (r.object.kind !== "DaemonSet" && r.object.kind !== "Pod") continue;
      const flag = r.source.flags.filter((f) => f.name === "hostname-override").pop();
      if (flag && flag.value) {
        // $(VAR) expands only when the container defines VAR; otherwise the literal text is the node name.
        const defined = envNames(r);
        const undefinedVars = [...flag.value.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g)].map((m) => m[1]!).filter((v) => !defined.has(v));
        if (undefinedVars.length) {
          const loc = flag.valueStart >= 0 ? { file: r.source.file, start: flag.valueStart, end: flag.valueEnd } : flagListLoc(r);
          report({
            loc,
            message: `--hostname-override=${flag.value} (${workloadName(r)}) uses $(${undefinedVars[0]}), which the container's env does not define: Kubernetes leaves the text as it is and kube-proxy looks for a Node named "${flag.value}". Add env ${undefinedVars[0]} from fieldRef spec.nodeName`,
          });
        }
        continue;
      }
      if (!nodes.length) continue;
      const override = r.config?.value.hostnameOverride;
      if (typeof override === "string" && override.trim() !== "") continue;
      const differing = nodesOf(r.object, nodes).map(renamed).filter((x): x is Renamed => !!x);
      if (!differing.length) continue;
      const first = differing[0]!;
      const more = differing.length > 1 ? ` (and ${differing.length - 1} more node${differing.length > 2 ? "s" : ""}: ${differing.slice(1, 4).map((d) => d.node.name).join(", ")}${differing.length > 4 ? ", ..." : ""})` : "";
      report({
        loc: flagListLoc(r),
        message: `kube-proxy (${workloadName(r)}) runs without --hostname-override, so it looks up its Node by the host name, but Node ${first.node.name} has hostname ${first.hostname} (${where(first.loc)})${more}: kube-proxy does not find its Node ("can't determine this node's IP, assuming loopback"), and node-specific behaviour (node IPs, topology hints, NodeCIDR local detection) breaks. Pass --hostname-override=$(NODE_NAME) with env NODE_NAME from fieldRef spec.nodeName, as kubeadm does`,
        related: differing.slice(0, 4).map((d) => ({ loc: d.loc, message: `Node ${d.node.name}: Hostname ${d.hostname}` })),
      });
    }
  },
});
