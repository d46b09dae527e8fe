/**
 * What a snapshot shows the cluster doing (as opposed to how it is configured): Pod status, Node
 * conditions and taints, Events, Endpoints and EndpointSlices, and the containers' logs. Every
 * entry keeps the object it was read from, so findings stand at the entry in the snapshot.
 */
import type { PathSegment } from "../../parsers/yaml.js";
import type { K8sObject, Loc, SourceFile } from "../types.js";

export interface ObservedCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
  path: PathSegment[];
}

/** A container state as the kubelet reports it (`state` or `lastState`). */
export interface ContainerStateView {
  kind: "running" | "waiting" | "terminated" | "none";
  reason: string;
  message: string;
  exitCode: number | null;
  path: PathSegment[];
}

export interface ObservedContainer {
  name: string;
  init: boolean;
  image: string;
  ready: boolean;
  restartCount: number;
  state: ContainerStateView;
  lastState: ContainerStateView;
  /** Path of the container's status entry in the Pod. */
  path: PathSegment[];
}

export interface ObservedPod {
  object: K8sObject;
  name: string;
  namespace: string;
  uid: string;
  node: string | null;
  phase: string;
  /** status.reason (Evicted, NodeLost...), "" when none. */
  reason: string;
  labels: Record<string, string>;
  owner: { kind: string; name: string } | null;
  conditions: ObservedCondition[];
  containers: ObservedContainer[];
  /** Events whose involvedObject is this pod. */
  events: ObservedEvent[];
  /** Whether the snapshot's layout keeps logs for this pod (and where), not whether they exist. */
  logSource: LogSource | null;
}

export interface ObservedNode {
  object: K8sObject;
  name: string;
  conditions: ObservedCondition[];
  taints: { key: string; value: string; effect: string }[];
  /** The Ready condition, if the node has one. */
  ready: ObservedCondition | null;
  events: ObservedEvent[];
}

export interface ObservedEvent {
  object: K8sObject;
  reason: string;
  type: string;
  message: string;
  involved: { kind: string; name: string; namespace: string; uid: string } | null;
  /** count, else series.count, else 1. */
  count: number;
  first: string;
  last: string;
  /** source.component or reportingComponent. */
  component: string;
  /** source.host (the node that reported it), "" when none. */
  host: string;
}

export interface ObservedEndpoints {
  object: K8sObject;
  kind: "Endpoints" | "EndpointSlice";
  /** The Service it belongs to (Endpoints: its own name; EndpointSlice: the kubernetes.io/service-name label). */
  service: string;
  namespace: string;
  ready: string[];
  notReady: string[];
}

/** Where a pod's logs are kept in the snapshot's layout. */
export type LogSource =
  | { layout: "dump"; absPath: string; display: string }
  | { layout: "files"; absDir: string; displayDir: string };

/** One container's log as the snapshot holds it: the last part of it, with its place in the file. */
export interface ContainerLog {
  container: string;
  previous: boolean;
  /** The file that holds it, with only the tail read (its lines are numbered as in the whole file). */
  file: SourceFile;
  /** The log's text range in `file` (a dump's logs.txt holds every container between START/END lines). */
  start: number;
  end: number;
  /** Only the tail of a larger file was read. */
  truncated: boolean;
  /** What the snapshot wrote instead of the log (`Request log error: ...`). */
  error: string | null;
}

export interface ObservedState {
  pods: ObservedPod[];
  nodes: ObservedNode[];
  events: ObservedEvent[];
  endpoints: ObservedEndpoints[];
  /** Namespaces whose Pods the snapshot lists (a PodList was read for them, even an empty one). */
  podNamespaces: Set<string>;
  /** Whether Pod, Event, Endpoints lists were in the input at all. */
  has: { pods: boolean; events: boolean; endpoints: boolean; nodes: boolean };
  /** The logs of a pod's container: the previous instance first, then the current one; [] when the snapshot has none. */
  logs(pod: ObservedPod, container: string): ContainerLog[];
  /** Lines for stderr: logs that could not be read, or only in part. */
  notices: string[];
}

export type { Loc };
