/** CNI helpers for rules: vendor recognition by plugin types and by DaemonSets, and locations in a config file. */
import { jsonRange } from "../../model/objects.js";
import type { ClusterModel, CniFileArtifact, K8sObject, Loc } from "../../model/types.js";
import type { PathSegment } from "../../parsers/yaml.js";

export type CniVendor = "flannel" | "calico" | "canal" | "cilium" | "weave" | "multus" | "aws-vpc-cni" | "kindnet" | "kube-router" | "antrea" | "bridge";

/** The CNI a config belongs to, from its plugin types (the first match in the chain decides; meta plugins first). */
export function vendorOfPluginTypes(types: readonly string[]): CniVendor | null {
  const t = new Set(types);
  if (t.has("multus") || t.has("multus-shim")) return "multus";
  if (t.has("calico") && t.has("flannel")) return "canal";
  if (t.has("cilium-cni")) return "cilium";
  if (t.has("calico")) return "calico";
  if (t.has("weave-net") || t.has("weave-plugin-2.8.1")) return "weave";
  if (t.has("aws-cni")) return "aws-vpc-cni";
  if (t.has("antrea")) return "antrea";
  if (t.has("flannel")) return "flannel";
  if ([...t].some((x) => x.startsWith("kindnet"))) return "kindnet";
  if (t.has("bridge") || t.has("ptp") || t.has("host-local")) return "bridge";
  return null;
}

const DAEMONSET_VENDORS: [RegExp, CniVendor][] = [
  [/kube-multus|multus/, "multus"],
  [/canal/, "canal"],
  [/cilium/, "cilium"],
  [/calico-node|calico\/node/, "calico"],
  [/weave-net|weaveworks\/weave/, "weave"],
  [/aws-node|amazon-k8s-cni/, "aws-vpc-cni"],
  [/kindnet/, "kindnet"],
  [/kube-router/, "kube-router"],
  [/antrea/, "antrea"],
  [/flannel/, "flannel"],
];

/** The primary CNIs the cluster's manifests deploy (DaemonSets), each with its object. */
export function deployedCnis(cluster: ClusterModel): { vendor: CniVendor; object: K8sObject }[] {
  const out: { vendor: CniVendor; object: K8sObject }[] = [];
  for (const o of cluster.objects) {
    if (o.kind !== "DaemonSet") continue;
    const images = JSON.stringify((o.value.spec as { template?: unknown } | undefined)?.template ?? {});
    const text = `${o.name} ${images}`;
    const hit = DAEMONSET_VENDORS.find(([re]) => re.test(text));
    if (hit) out.push({ vendor: hit[1], object: o });
  }
  return out;
}

/** Location of a field of a CNI config file, else of its first line. */
export function cniFieldLoc(artifact: CniFileArtifact, path: readonly PathSegment[], part: "value" | "key" = "value"): Loc {
  const { file } = artifact;
  const root = artifact.result.json;
  const r = root ? jsonRange(root, path, part) : undefined;
  if (r) return { file, start: r[0], end: r[1] };
  const firstLineEnd = file.lines.lineEnd(1);
  return { file, start: 0, end: Math.max(0, Math.min(firstLineEnd, 200)) };
}

/** Where a CNI file is best pointed at as a whole: its network `name` value, else its first line. */
export function cniFileLoc(artifact: CniFileArtifact): Loc {
  return cniFieldLoc(artifact, ["name"]);
}

/** A per-file loader error without the file-name prefix the loader puts in front (messages name the file already). */
export function cniErrorText(result: { file: string; error: { message: string } | null }): string {
  const m = result.error?.message ?? "";
  return m.startsWith(`${result.file}: `) ? m.slice(result.file.length + 2) : m;
}
