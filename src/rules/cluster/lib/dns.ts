/** The cluster DNS side of the model: the kube-dns Service's addresses, NodeLocal DNSCache, CoreDNS's kubernetes zones. */
import type { ClusterModel, CorefileArtifact, K8sObject, Loc } from "../../../model/types.js";
import { containers, getPath } from "../../../model/workloads.js";
import { directiveArgs } from "../../lib/corefile.js";
import { parseIP, type ParsedIP } from "../../../parsers/net.js";
import type { ScopedSource } from "./scope.js";

export interface DnsServiceIP extends ScopedSource {
  value: string;
  ip: ParsedIP;
  loc: Loc | null;
  service: K8sObject;
}

const unusable = (v: unknown): v is string => typeof v !== "string" || v === "" || v === "None" || v.includes("HIDDEN");

/** The kube-dns Service's clusterIP and clusterIPs (redacted values and headless Services left out). */
export function kubeDnsServiceIPs(cluster: ClusterModel): DnsServiceIP[] {
  const out: DnsServiceIP[] = [];
  for (const svc of cluster.objects) {
    if (svc.kind !== "Service" || (svc.name !== "kube-dns" && getPath(svc.value, ["spec", "selector", "k8s-app"]) !== "kube-dns")) continue;
    const seen = new Set<string>();
    const add = (v: unknown, path: (string | number)[]) => {
      if (unusable(v) || seen.has(v as string)) return;
      const ip = parseIP(v as string, { sloppy: true });
      if (!ip) return;
      seen.add(v as string);
      out.push({ kind: "service", file: svc.file.path, value: v as string, ip, loc: svc.rangeAt(path) ?? null, service: svc });
    };
    add(getPath(svc.value, ["spec", "clusterIP"]), ["spec", "clusterIP"]);
    const ips = getPath(svc.value, ["spec", "clusterIPs"]);
    if (Array.isArray(ips)) ips.forEach((v, i) => add(v, ["spec", "clusterIPs", i]));
  }
  return out;
}

/** A NodeLocal DNSCache deployment (DaemonSet or ConfigMap node-local-dns, or the node-cache image). */
export function nodeLocalDns(cluster: ClusterModel): K8sObject | null {
  for (const o of cluster.objects) {
    if ((o.kind === "DaemonSet" || o.kind === "ConfigMap") && o.name === "node-local-dns") return o;
    if (o.kind === "DaemonSet" && containers(o).some((c) => /k8s-dns-node-cache|node-cache:/.test(c.image))) return o;
  }
  return null;
}

export interface KubernetesZone extends ScopedSource {
  zone: string;
  loc: Loc;
  corefile: CorefileArtifact;
}

/** Zones the CoreDNS kubernetes plugin is authoritative for (its arguments, else its server block's zones). */
export function kubernetesZones(cluster: ClusterModel): KubernetesZone[] {
  const out: KubernetesZone[] = [];
  for (const cf of cluster.corefiles) {
    for (const block of cf.parse.serverBlocks) {
      for (const d of block.directives) {
        if (d.name !== "kubernetes") continue;
        const args = directiveArgs(d);
        const dirLoc = cf.locate({ offset: d.tokens[0]!.offset, endOffset: d.tokens[0]!.endOffset, ...(d.tokens[0]!.file ? { file: d.tokens[0]!.file } : {}) });
        if (args.length) {
          for (const t of args) out.push({ kind: "corefile", file: cf.file.path, zone: t.text, loc: cf.locate({ offset: t.offset, endOffset: t.endOffset, ...(t.file ? { file: t.file } : {}) }), corefile: cf });
        } else {
          for (const z of block.zones) out.push({ kind: "corefile", file: cf.file.path, zone: z.zone, loc: dirLoc, corefile: cf });
        }
      }
    }
  }
  return out;
}

/** A domain as DNS compares it: lower case, no trailing dot. */
export function normDomain(d: string): string {
  return d.toLowerCase().replace(/\.$/, "");
}

/** Looks like a domain name (not a template placeholder such as __DNS__DOMAIN__ or %{CLUSTER_DOMAIN}%). */
export function isDomainLike(d: string): boolean {
  return /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/.test(d);
}
