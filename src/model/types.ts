/** The model the rules read: one per cluster, every artifact with the places that state it. */
import type { LineIndex } from "../parsers/lines.js";
import type { CorefileParseResult, CorefileToken } from "../parsers/corefile/index.js";
import type { CniLoadResult, CniFileResult, CniRuntime } from "./cni-loading.js";
import type { Flag } from "../parsers/flags.js";
import type { ResolvConf } from "../parsers/resolv-conf.js";
import type { PathSegment } from "../parsers/yaml.js";
import type { ObservedState } from "./observed/types.js";

/** One input file that holds at least one networking artifact (its text is kept for positions and suppressions). */
export interface SourceFile {
  /** Display path: relative to the working directory, `/` separators (or the --stdin-filename). */
  path: string;
  /** Absolute path on disk; null for stdin. */
  absPath: string | null;
  text: string;
  lines: LineIndex;
  /** JSON files take no comments (no inline suppressions). */
  format: "yaml" | "json" | "corefile" | "text";
}

/** A place in a file: offsets in the file's text. */
export interface Loc {
  file: SourceFile;
  start: number;
  end: number;
}

/** A Kubernetes object (or component config document) from YAML or JSON, with positions. */
export interface K8sObject {
  kind: string;
  apiVersion: string;
  name: string;
  namespace: string;
  /** The object as plain data. */
  value: Record<string, unknown>;
  file: SourceFile;
  /** Range of the whole document or list item. */
  loc: Loc;
  /** Where the value (or key) at a path is; falls back to the nearest ancestor that exists. */
  locate(path: readonly PathSegment[], part?: "value" | "key"): Loc;
  /** Exact range at a path, or undefined when it is not in the document. */
  rangeAt(path: readonly PathSegment[], part?: "value" | "key"): Loc | undefined;
  /** Maps a string value at `path` character by character to the file (`file` when not the object's own: a kustomize patch's). */
  stringSource(path: readonly PathSegment[]): { offsets: Int32Array; exact: boolean; value: string; file?: SourceFile } | undefined;
  /** Snapshot node name when the object came from nodes/NAME/. */
  node?: string;
}

/** A fact about the cluster (pod CIDR, service CIDR, cluster domain, cluster DNS IP) as one source states it. */
export interface Fact {
  value: string;
  /** Where it is stated; null when it comes from the config file's `facts`. */
  loc: Loc | null;
  /** Human description of the source: "kubeadm ClusterConfiguration networking.podSubnet". */
  origin: string;
  /** The stated value is a part of the fact (a Calico pool, a node's podCIDR), not all of it. */
  within?: boolean;
}

export interface ClusterFacts {
  podCIDRs: Fact[];
  serviceCIDRs: Fact[];
  clusterDomain: Fact[];
  clusterDNS: Fact[];
}

export interface CorefileArtifact {
  /** The file on disk that holds it (a ConfigMap YAML/JSON, or a standalone Corefile). */
  file: SourceFile;
  configMap: K8sObject | null;
  key: string | null;
  parse: CorefileParseResult;
  /** The Deployment that mounts it, when joined. */
  deployment: K8sObject | null;
  /** Files CoreDNS sees from ConfigMap volumes (path in the container -> ConfigMap and key); imports resolve against these. */
  mountedFiles: Map<string, { cm: K8sObject; key: string }>;
  /** Where a Corefile token (or parser position) is on disk. */
  locate(pos: { offset?: number; endOffset?: number; file?: string; line?: number }): Loc;
}

export interface CniFileArtifact {
  file: SourceFile;
  /** How the runtime parses it (by name): conflist or single conf. */
  result: CniFileResult;
  /** The conf dir it sits in, if any. */
  confDir: CniConfDirArtifact | null;
}

export interface CniConfDirArtifact {
  /** Display path of the directory. */
  dir: string;
  /** The directory itself as a location for findings about the whole dir (an empty text). */
  dirFile: SourceFile;
  node: string | null;
  runtime: CniRuntime;
  runtimeSource: string;
  maxConfNum: number;
  load: CniLoadResult;
  /** Candidate file name -> its artifact (null for entries that could not be read). */
  files: Map<string, CniFileArtifact | null>;
  /** Entries that are not candidates, with their display paths. */
  ignored: { name: string; path: string; looksLikeCni: boolean }[];
}

export interface ComponentConfig {
  kind: "KubeProxyConfiguration" | "KubeletConfiguration" | "ClusterConfiguration";
  value: Record<string, unknown>;
  /** The document that holds the config: the object itself, or the ConfigMap whose key holds it. */
  object: K8sObject;
  /** When embedded in a ConfigMap key: the key and where the embedded document's paths are. */
  configMap: K8sObject | null;
  key: string | null;
  locate(path: readonly PathSegment[], part?: "value" | "key"): Loc;
  rangeAt(path: readonly PathSegment[], part?: "value" | "key"): Loc | undefined;
  node: string | null;
  /** A config a distribution derives (k3s, Talos, Cluster API...): where each field comes from, by dotted path ("clusterDNS.0"), for facts' origins. */
  origins?: Record<string, string>;
}

export interface FlagSource {
  component: "kubelet" | "kube-proxy" | "kube-controller-manager" | "kube-apiserver" | "coredns";
  flags: Flag[];
  file: SourceFile;
  node: string | null;
  /** The object (static Pod, DaemonSet) the flags come from, if any. */
  object: K8sObject | null;
  /** Path of the container in that object (`spec.template.spec.containers[0]`), if any. */
  containerPath: (string | number)[] | null;
  origin: string;
}

export interface ResolvConfArtifact {
  file: SourceFile;
  node: string | null;
  /** The path of the file on its node (`/etc/resolv.conf`), when under nodes/NAME/. */
  nodePath: string | null;
  conf: ResolvConf;
}

/** The resolv.conf a node's kubelet hands to dnsPolicy Default pods (and so to CoreDNS). */
export interface PodResolvConf {
  /** The path on the node; "" disables host DNS inheritance. */
  path: string;
  /** Where it is set; null when it is the kubelet's default. */
  loc: Loc | null;
  origin: string;
  /** The kubelet config that applies to the node (resolvConf not set there: its default), if any. */
  config: ComponentConfig | null;
  source: "flag" | "config" | "default";
}

export interface NodeInfo {
  name: string;
  /** --resolv-conf wins over the KubeletConfiguration's resolvConf (the node's own, else the cluster's only one), else /etc/resolv.conf. */
  podResolvConf: PodResolvConf;
  /** Files by their path on the node (`/etc/resolv.conf`). */
  resolvConfs: Map<string, ResolvConfArtifact>;
  kubeletConfig: ComponentConfig | null;
  kubeletFlags: FlagSource[];
  object: K8sObject | null;
  runtime: CniRuntime | null;
  cniBinaries: { file: SourceFile; names: string[] } | null;
}

export interface ParseProblem {
  ruleId: "yaml/syntax" | "coredns/corefile-syntax" | "cni/invalid-json";
  loc: Loc;
  message: string;
  /** Set when the document is held in a string field of another object (a ConfigMap key): that field's description. */
  embeddedIn?: string;
  /** The document exceeds one of kube-netlint's own limits (size, depth, aliases): it is not checked, it is not a YAML error. */
  limit?: boolean;
}

export interface ClusterModel {
  name: string;
  isSnapshot: boolean;
  files: SourceFile[];
  objects: K8sObject[];
  corefiles: CorefileArtifact[];
  cniConfDirs: CniConfDirArtifact[];
  /** CNI config files outside any conf dir: file-level checks only. */
  looseCniFiles: CniFileArtifact[];
  kubeProxyConfigs: ComponentConfig[];
  kubeletConfigs: ComponentConfig[];
  kubeadmConfigs: ComponentConfig[];
  flagSources: FlagSource[];
  resolvConfs: ResolvConfArtifact[];
  nodes: Map<string, NodeInfo>;
  facts: ClusterFacts;
  counts: { pods: number; services: number };
  parseProblems: ParseProblem[];
  /** Facts given in the config file (already folded into `facts`), for rules that need them raw. */
  configFacts: Record<string, unknown>;
  /** What the snapshot shows the cluster doing: Pod status, Node conditions, Events, Endpoints, logs. */
  observed: ObservedState;
  /** The CNI a distribution or chart declares (k3s flannel, kind's kindnet, a Cilium HelmRelease): src/model/sources. */
  declaredCnis?: DeclaredCni[];
}

export interface DeclaredCni {
  /** A CniVendor name (flannel, calico, canal, cilium, weave, kindnet, aws-vpc-cni...). */
  vendor: string;
  loc: Loc;
  /** "k3s config flannel-backend (default vxlan)". */
  origin: string;
  /** The distribution enforces NetworkPolicy next to it (k3s's embedded network policy controller). */
  enforcesPolicy?: boolean;
}

export type { CorefileToken };
