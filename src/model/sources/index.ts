/**
 * The one table of source adapters (src/model/sources/<name>.ts): distributions (kind, k3s/RKE2,
 * Cluster API, Talos, kops, eksctl), Helm values carriers and charts (CoreDNS, Cilium, Calico) and
 * CNIs' own resources (cilium-config, Calico pools, Weave). A new source is one module added here,
 * plus its fixtures. docs/sources.md lists what each one reads.
 */
import type { PathSegment } from "../../parsers/yaml.js";
import type { ClusterFacts, ClusterModel, K8sObject, ParseProblem } from "../types.js";
import calico from "./calico.js";
import capi from "./capi.js";
import cilium from "./cilium.js";
import corednsChart from "./coredns-chart.js";
import eksctl from "./eksctl.js";
import helm from "./helm.js";
import k3s from "./k3s.js";
import kind from "./kind.js";
import kops from "./kops.js";
import talos from "./talos.js";
import weave from "./weave.js";
import type { SourceAdapter, SourceContext } from "./types.js";

export const SOURCES: readonly SourceAdapter[] = [kind, k3s, capi, talos, kops, eksctl, helm, corednsChart, cilium, calico, weave];

/** Kinds some adapter reads, with the adapter's pre-filter (for classify.ts). */
export const SOURCE_KINDS: ReadonlyMap<string, RegExp | null> = (() => {
  const m = new Map<string, RegExp | null>();
  for (const a of SOURCES) for (const k of a.kinds ?? []) {
    const prev = m.get(k);
    // Several adapters read one kind (Cluster: kind, Cluster API, kops): any one's filter selects it.
    m.set(k, prev === undefined ? a.kindFilter ?? null : prev === null || !a.kindFilter ? null : new RegExp(`${prev.source}|${a.kindFilter.source}`, a.kindFilter.flags));
  }
  return m;
})();

export interface SourceFileOptions {
  /** Display paths the config file names as k3s/RKE2 config files (`k3sConfigFiles`). */
  named?: (displayPath: string) => boolean;
}

/** The adapter that reads a file whose documents carry no kind (k3s config.yaml, a Talos machine config, a Helm values file), or null. */
export function sourceForFile(displayPath: string, text: string, options: SourceFileOptions = {}): string | null {
  const head = text.slice(0, 16384);
  const named = options.named?.(displayPath) ?? false;
  for (const a of SOURCES) if (a.selectFile?.(displayPath, head, named)) return a.name;
  return null;
}

/** A kind-less document read for an adapter. */
export interface SourceDoc {
  adapter: string;
  object: K8sObject;
}

/**
 * Run every adapter on one cluster's documents: derived configs, Corefiles and CNIs go into the model;
 * the facts are returned, for mergeFacts once the kubeadm-shaped sources' facts are in (they come first
 * in messages).
 */
export function collectSources(
  model: ClusterModel,
  docs: readonly SourceDoc[],
  embedded: (host: K8sObject, path: PathSegment[], problems: ParseProblem[]) => K8sObject[],
  notices: string[],
): ClusterFacts {
  const facts: ClusterFacts = { podCIDRs: [], serviceCIDRs: [], clusterDomain: [], clusterDNS: [] };
  const seen = new Set<string>();
  const notice = (obj: K8sObject, message: string) => {
    if (seen.has(message)) return;
    seen.add(message);
    notices.push(message.startsWith(obj.file.path) ? message : `${obj.file.path}: ${message}`);
  };
  for (const a of SOURCES) {
    if (!a.collect) continue;
    const mine = [...docs.filter((d) => d.adapter === a.name).map((d) => d.object), ...model.objects.filter((o) => a.kinds?.includes(o.kind) && a.accepts(o))];
    if (mine.length === 0) continue;
    const ctx: SourceContext = { model, facts, docs: mine, embedded: (h, p) => embedded(h, p, model.parseProblems), problems: model.parseProblems, notice };
    a.collect(ctx);
  }
  return facts;
}

export function mergeFacts(into: ClusterFacts, facts: ClusterFacts): void {
  into.podCIDRs.push(...facts.podCIDRs);
  into.serviceCIDRs.push(...facts.serviceCIDRs);
  into.clusterDomain.push(...facts.clusterDomain);
  into.clusterDNS.push(...facts.clusterDNS);
}

/** The adapters that read a chart's values (for the Helm carriers). */
export function chartAdapters(): SourceAdapter[] {
  return SOURCES.filter((a) => a.chart);
}
