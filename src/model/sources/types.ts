/**
 * The adapter interface: one module per source of networking facts that is not a kubeadm-shaped
 * manifest (a distribution's config, a Helm chart's values, a CNI's own resources). An adapter says
 * which documents it reads (by kind and apiVersion, or by file path for files that carry no kind)
 * and turns those documents of one cluster into model parts: facts, derived component configs,
 * Corefiles and the CNI the cluster runs.
 */
import type { PathSegment } from "../../parsers/yaml.js";
import type { ClusterFacts, ClusterModel, K8sObject, ParseProblem } from "../types.js";

/** What an adapter gets for one cluster. */
export interface SourceContext {
  model: ClusterModel;
  /** Where the adapters' facts go: appended to the model's after the kubeadm-shaped sources' (mergeFacts). */
  facts: ClusterFacts;
  /** The documents of this cluster that this adapter selected (kind-less documents are K8sObjects with kind ""). */
  docs: K8sObject[];
  /** Parse the YAML/JSON documents held in a string field (positions in the host's file); problems go to yaml/syntax. */
  embedded(host: K8sObject, path: PathSegment[]): K8sObject[];
  problems: ParseProblem[];
  /** A line for stderr (unknown apiVersion, a field of the wrong type): never a silent pass. */
  notice(obj: K8sObject, message: string): void;
}

/** Helm values as one carrier holds them: an object and the path of the values map inside it. */
export interface ValuesRef {
  obj: K8sObject;
  base: PathSegment[];
  values: Record<string, unknown>;
  /** "HelmRelease kube-system/cilium spec.values", "values file". */
  origin: string;
  /** The chart the carrier names (lower case), if any. */
  chart: string | null;
}

export interface SourceAdapter {
  name: string;
  /** Top-level kinds the adapter reads (they are parsed; everything else is only scanned). */
  kinds?: readonly string[];
  /** For those kinds: parse only documents whose text matches (cheap pre-filter). */
  kindFilter?: RegExp;
  /** Files without a kind this adapter reads, from the display path and the file's first bytes. */
  selectFile?(displayPath: string, head: string, named: boolean): boolean;
  /** Does a parsed document of one of `kinds` belong to the adapter (its apiVersion group, its name)? */
  accepts(obj: K8sObject): boolean;
  /** Turn the cluster's selected documents into model parts. */
  collect?(ctx: SourceContext): void;
  /** Helm charts whose values this adapter reads (chart names, lower case, and the values' distinctive top-level keys). */
  chart?: {
    names: RegExp;
    /** A top-level key of a values file that selects the file for a full parse (checked on its first 16 KiB). */
    textHint: RegExp;
    looksLike(values: Record<string, unknown>): boolean;
    values(ref: ValuesRef, ctx: SourceContext): void;
  };
}
