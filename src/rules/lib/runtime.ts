/**
 * Container runtime facts that change what a manifest does: the runtime and version each Node reports
 * (status.nodeInfo.containerRuntimeVersion, "containerd://2.0.2", "cri-o://1.30.1"), else
 * facts.containerRuntime, else a documented default (containerd 1.x).
 */
import type { ClusterModel, Loc } from "../../model/types.js";
import { getPath } from "../../model/workloads.js";

export interface NodeRuntime {
  node: string;
  name: string;
  version: [number, number, number] | null;
  /** "containerd 2.0.2 (node n1's containerRuntimeVersion)". */
  text: string;
  loc: Loc | null;
}

/** The runtime each Node object reports. */
export function nodeRuntimes(cluster: ClusterModel): NodeRuntime[] {
  const out: NodeRuntime[] = [];
  for (const n of cluster.nodes.values()) {
    const raw = n.object ? getPath(n.object.value, ["status", "nodeInfo", "containerRuntimeVersion"]) : undefined;
    if (typeof raw !== "string") continue;
    const m = /^([a-z0-9-]+):\/\/v?(\d+)\.(\d+)(?:\.(\d+))?/i.exec(raw.trim());
    const name = (m?.[1] ?? raw.split(":")[0] ?? raw).toLowerCase();
    const version: [number, number, number] | null = m ? [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)] : null;
    out.push({ node: n.name, name, version, text: `${raw} (node ${n.name}'s containerRuntimeVersion)`, loc: n.object!.rangeAt(["status", "nodeInfo", "containerRuntimeVersion"]) ?? null });
  }
  return out;
}

export interface UnprivilegedPorts {
  /** Lowest port an unprivileged process may bind in the pod's network namespace. */
  start: number;
  /** Where that comes from, for messages. */
  why: string;
  loc: Loc | null;
}

/**
 * net.ipv4.ip_unprivileged_port_start as a runtime sets it for a pod network namespace: containerd 2.x's
 * CRI enables enable_unprivileged_ports by default (0); Docker 20.10 and later set it to 0; containerd
 * 1.x (enable_unprivileged_ports = false) and CRI-O (no default_sysctls) leave the kernel's 1024.
 */
export function runtimeUnprivilegedStart(name: string, version: [number, number, number] | null): number | null {
  if (name === "containerd") return version ? (version[0] >= 2 ? 0 : 1024) : null;
  if (name === "docker") return version ? (version[0] > 20 || (version[0] === 20 && version[1] >= 10) ? 0 : 1024) : null;
  if (name === "cri-o" || name === "crio") return 1024;
  return null;
}

/**
 * The unprivileged port start CoreDNS pods get on each node: the pod's own sysctl wins; on the host
 * network the node's (assumed 1024); else by node runtime. Nodes whose start is above `port` are the
 * ones where binding it needs CAP_NET_BIND_SERVICE. `assumed` says what was assumed when nothing tells.
 */
export function bindBlockedOn(cluster: ClusterModel, podSysctl: { value: number; loc: Loc | null } | null, hostNetwork: boolean, port: number): { blocked: UnprivilegedPorts[]; open: UnprivilegedPorts[] } {
  if (podSysctl) {
    const u = { start: podSysctl.value, why: `the pod's sysctl net.ipv4.ip_unprivileged_port_start=${podSysctl.value}`, loc: podSysctl.loc };
    return u.start <= port ? { blocked: [], open: [u] } : { blocked: [u], open: [] };
  }
  if (hostNetwork) return { blocked: [{ start: 1024, why: "hostNetwork: the node's own net.ipv4.ip_unprivileged_port_start (the kernel's 1024 assumed)", loc: null }], open: [] };
  const nodes = nodeRuntimes(cluster);
  const blocked: UnprivilegedPorts[] = [];
  const open: UnprivilegedPorts[] = [];
  for (const n of nodes) {
    const start = runtimeUnprivilegedStart(n.name, n.version);
    const u = { start: start ?? 1024, why: start === null ? `${n.text}, a runtime whose default kube-netlint does not know (1024 assumed)` : `${n.text}, which ${start === 0 ? "sets net.ipv4.ip_unprivileged_port_start=0 by default" : "leaves net.ipv4.ip_unprivileged_port_start at 1024"}`, loc: n.loc };
    (u.start <= port ? open : blocked).push(u);
  }
  if (nodes.length > 0) return { blocked, open };
  const fact = cluster.configFacts.containerRuntime;
  if (fact === "cri-o" || fact === "crio") return { blocked: [{ start: 1024, why: "CRI-O (facts.containerRuntime), which leaves net.ipv4.ip_unprivileged_port_start at 1024", loc: null }], open: [] };
  const what = fact === "containerd" ? "containerd (facts.containerRuntime) with no version known" : "no Node containerRuntimeVersion or facts.containerRuntime in the input";
  return { blocked: [{ start: 1024, why: `${what}: assumed containerd 1.x, whose enable_unprivileged_ports defaults to false (containerd 2.x would allow the bind)`, loc: null }], open: [] };
}
