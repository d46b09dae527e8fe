import { defineRule } from "../../engine/rule.js";
import type { ClusterModel, K8sObject, Loc } from "../../model/types.js";
import { nearest, nearestByName } from "../../model/nearest.js";
import { blockOptions } from "../lib/corefile.js";
import { kubeletVersionFor } from "../kubelet/lib/settings.js";
import { parseVersion } from "./lib/versions.js";
import { asArray, asRecord, corednsWorkloads, imageVersion, parsedCorefile, versionBefore, type CorednsWorkload } from "./lib/workload.js";

interface Need {
  group: string;
  resource: string;
  why: string;
}

const strings = (v: unknown) => asArray(v).filter((x): x is string => typeof x === "string");

/**
 * Which of Endpoints and EndpointSlices the kubernetes plugin watches (coredns/coredns
 * plugin/kubernetes/kubernetes.go at the tags): Endpoints before 1.8.1; from 1.8.1 to 1.10.x
 * EndpointSlices only when the API server is Kubernetes 1.19 or later (else Endpoints); from 1.11.0
 * always EndpointSlices. The CoreDNS version is the image tag, else facts.corednsVersion; the
 * Kubernetes version is the nodes', facts.kubernetesVersion or kubeadm's (a current one when unknown).
 */
function endpointsNeed(w: CorednsWorkload, cluster: ClusterModel): Need {
  const fact = cluster.configFacts.corednsVersion;
  const version = imageVersion(w.container.image) ?? (typeof fact === "string" || typeof fact === "number" ? parseVersion(String(fact)) : null);
  const shown = version ? `CoreDNS ${version.join(".")}` : "CoreDNS";
  const endpoints = (why: string): Need => ({ group: "", resource: "endpoints", why });
  const slices = (why: string): Need => ({ group: "discovery.k8s.io", resource: "endpointslices", why });
  if (version && versionBefore(version, [1, 8, 1])) return endpoints(`the kubernetes plugin of ${shown} (before 1.8.1) watches Endpoints`);
  if (version && versionBefore(version, [1, 11, 0])) {
    const k8s = kubeletVersionFor(cluster, null);
    if (k8s && versionBefore(k8s.version, [1, 19])) return endpoints(`the kubernetes plugin of ${shown} watches Endpoints on Kubernetes ${k8s.version.join(".")} (${k8s.origin}), before 1.19`);
    return slices(`the kubernetes plugin of ${shown} watches EndpointSlices on Kubernetes ${k8s ? `${k8s.version.join(".")} (${k8s.origin})` : "1.19 or later (assumed: no Kubernetes version known)"}`);
  }
  return slices(`the kubernetes plugin watches EndpointSlices (${version ? shown : "CoreDNS 1.8.1 and later on Kubernetes 1.19+"})`);
}

/** What the kubernetes plugin lists and watches (coredns/coredns:plugin/kubernetes/controller.go; kubeadm's system:coredns). */
function needs(w: CorednsWorkload, cluster: ClusterModel): Need[] | null {
  const cf = parsedCorefile(w);
  const k8s = cf ? cf.parse.serverBlocks.flatMap((b) => b.directives).filter((d) => d.name === "kubernetes") : null;
  // A Corefile without the kubernetes plugin reads nothing from the API.
  if (k8s && k8s.length === 0) return null;
  // With `kubeconfig` the plugin talks to the API as that kubeconfig's user, not as the ServiceAccount.
  if (k8s && k8s.some((d) => blockOptions(d).some((o) => o.name.text === "kubeconfig"))) return null;
  const out: Need[] = [endpointsNeed(w, cluster)];
  out.push({ group: "", resource: "services", why: "the kubernetes plugin watches Services" });
  out.push({ group: "", resource: "namespaces", why: "the kubernetes plugin watches Namespaces" });
  const verified = (k8s ?? []).some((d) => blockOptions(d).some((o) => o.name.text === "pods" && o.args[0]?.text === "verified"));
  if (verified) out.push({ group: "", resource: "pods", why: "`pods verified` watches Pods" });
  return out;
}

function grants(role: K8sObject, need: Need, verb: string): boolean {
  return asArray(role.value.rules).some((r) => {
    const rule = asRecord(r);
    if (!rule || strings(rule.resourceNames).length > 0) return false;
    const groups = strings(rule.apiGroups);
    const resources = strings(rule.resources);
    const verbs = strings(rule.verbs);
    return (groups.includes("*") || groups.includes(need.group)) && (resources.includes("*") || resources.includes(need.resource)) && (verbs.includes("*") || verbs.includes(verb));
  });
}

/** Whether a binding subject is the workload's ServiceAccount (directly, or through the service account groups). */
function bindsTo(subject: unknown, sa: string, ns: string): boolean {
  const s = asRecord(subject);
  if (!s) return false;
  if (s.kind === "ServiceAccount") return s.name === sa && (ns === "" || s.namespace === ns);
  if (s.kind === "Group") return s.name === "system:serviceaccounts" || s.name === "system:authenticated" || (ns !== "" && s.name === `system:serviceaccounts:${ns}`);
  if (s.kind === "User") return s.name === `system:serviceaccount:${ns}:${sa}`;
  return false;
}

export default defineRule({
  meta: { id: "coredns/rbac-insufficient", severity: "error", summary: "The ClusterRole bound to CoreDNS's ServiceAccount lacks list/watch on what the kubernetes plugin reads" },
  check({ cluster, report }) {
    const bindings = cluster.objects.filter((o) => o.kind === "ClusterRoleBinding");
    const roles = cluster.objects.filter((o) => o.kind === "ClusterRole");
    for (const w of corednsWorkloads(cluster)) {
      const required = needs(w, cluster);
      if (!required) continue;
      const saField = typeof w.spec.serviceAccountName === "string" ? "serviceAccountName" : typeof w.spec.serviceAccount === "string" ? "serviceAccount" : null;
      const sa = saField ? String(w.spec[saField]) : "default";
      const ns = w.object.namespace;
      const saLoc: Loc = saField ? w.object.locate([...w.specPath, saField]) : w.object.locate(w.specPath, "key");
      const saName = `${ns ? `${ns}/` : ""}${sa}`;
      const mine = nearestByName(w.object, bindings.filter((b) => asRecord(b.value.roleRef)?.kind === "ClusterRole" && asArray(b.value.subjects).some((s) => bindsTo(s, sa, ns))));
      if (mine.length === 0) {
        // Missing RBAC is only known in a snapshot that collected ClusterRoleBindings.
        if (!cluster.isSnapshot || bindings.length === 0) continue;
        report({
          loc: saLoc,
          message: `no ClusterRoleBinding in this snapshot binds ServiceAccount ${saName}, which ${w.object.kind} ${w.object.name} runs as: the kubernetes plugin gets "Failed to list ... forbidden" and CoreDNS never becomes ready. Bind it to a ClusterRole such as kubeadm's system:coredns`,
        });
        continue;
      }
      const bound = mine.map((b) => {
        const name = String(asRecord(b.value.roleRef)?.name ?? "");
        // Two ClusterRoles of that name (another directory's copy): the one nearest to the workload is the cluster's.
        return { binding: b, name, role: nearest(w.object, roles.filter((r) => r.name === name)) };
      });
      const absent = bound.filter((x) => !x.role);
      if (absent.length && !(cluster.isSnapshot && roles.length > 0)) continue;
      // An aggregated role's rules are filled in by the controller: unknown here.
      if (bound.some((x) => x.role && asRecord(x.role.value.aggregationRule))) continue;
      const present = bound.filter((x): x is typeof x & { role: K8sObject } => !!x.role);
      const lacking: string[] = [];
      const whys: string[] = [];
      for (const need of required) {
        const verbs = ["list", "watch"].filter((verb) => !present.some((x) => grants(x.role, need, verb)));
        if (verbs.length === 0) continue;
        lacking.push(`${verbs.join(", ")} on ${need.resource}${need.group ? `.${need.group}` : ""}`);
        whys.push(need.why);
      }
      if (lacking.length === 0) continue;
      const first = present[0] ?? null;
      const via = bound.map((x) => `ClusterRoleBinding ${x.binding.name} -> ClusterRole ${x.name}${x.role ? "" : " (not in this snapshot)"}`).join("; ");
      const loc = first ? first.role.rangeAt(["rules"], "key") ?? first.role.locate(["metadata", "name"]) : bound[0]!.binding.locate(["roleRef", "name"]);
      report({
        loc,
        message: `${first ? `ClusterRole ${first.name}` : `the ClusterRole ${bound[0]!.name}`}, bound to ServiceAccount ${saName} of ${w.object.kind} ${w.object.name} (${via}), lacks ${lacking.join("; ")} (${whys.join("; ")}): CoreDNS logs "Failed to list ... forbidden" and its kubernetes plugin never becomes ready`,
        related: [
          { loc: saLoc, message: `${w.object.kind} ${w.object.name} runs as ${saName}` },
          ...bound.map((x) => ({ loc: x.binding.locate(["roleRef", "name"]), message: `ClusterRoleBinding ${x.binding.name} binds ClusterRole ${x.name}` })),
        ],
      });
    }
  },
});
