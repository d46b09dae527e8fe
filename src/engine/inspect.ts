/** The model as JSON (`kube-netlint inspect`): the product's own debugging view of parsers and joins. */
import type { ClusterModel, Fact, Loc } from "../model/types.js";
import type { CorefileParseResult } from "../parsers/corefile/index.js";
import { buildModel, type LintOptions } from "./lint.js";

export interface InspectSource {
  file: string;
  line: number;
}

export interface CorefileEntry {
  file: string;
  configMap?: string;
  key?: string;
  deployment?: string;
  /** CoreDNS's own error text (`FILE:LINE - Error during parsing: ...`), or null. */
  error: string | null;
  /** Where the error is: the file (root or imported) and its line. */
  errorAt: { file: string; line: number } | null;
  warnings: string[];
  defaultInput: boolean;
  serverBlocks: {
    keys: string[];
    zones: { zone: string; port: number; transport: string }[];
    directives: { name: string; line: number; file?: string; tokens: { text: string; line: number; file?: string }[] }[];
  }[];
}

/** One `corefiles[]` entry from a parse result (Corefile line numbers, imported tokens marked with their file). */
export function corefileEntry(parse: CorefileParseResult, file: string = parse.file): CorefileEntry {
  return {
    file,
    error: parse.error ? parse.error.message : null,
    errorAt: parse.error ? { file: parse.error.file, line: parse.error.line } : null,
    warnings: parse.warnings.map((w) => w.message),
    defaultInput: parse.defaultInput,
    serverBlocks: parse.serverBlocks.map((b) => ({
      keys: b.keys,
      zones: b.zones.map((z) => ({ zone: z.zone, port: z.port, transport: z.transport })),
      directives: b.directives.map((d) => {
        const dir: CorefileEntry["serverBlocks"][number]["directives"][number] = {
          name: d.name,
          line: d.line,
          tokens: d.tokens.map((t) => (t.file ? { text: t.text, line: t.line, file: t.file } : { text: t.text, line: t.line })),
        };
        if (d.file) dir.file = d.file;
        return dir;
      }),
    })),
  };
}

const source = (loc: Loc | null): InspectSource | { config: true } =>
  loc ? { file: loc.file.path, line: loc.file.lines.position(loc.start).line } : { config: true };

const facts = (list: Fact[]) => list.map((f) => ({ value: f.value, origin: f.origin, source: source(f.loc) }));

export function clusterToJson(c: ClusterModel) {
  return {
    name: c.name,
    snapshot: c.isSnapshot,
    facts: {
      podCIDRs: facts(c.facts.podCIDRs),
      serviceCIDRs: facts(c.facts.serviceCIDRs),
      clusterDomain: facts(c.facts.clusterDomain),
      clusterDNS: facts(c.facts.clusterDNS),
    },
    corefiles: c.corefiles.map((cf) => {
      const e = corefileEntry(cf.parse, cf.file.path);
      if (cf.configMap) {
        e.configMap = `${cf.configMap.namespace ? cf.configMap.namespace + "/" : ""}${cf.configMap.name}`;
        e.key = cf.key!;
      }
      if (cf.deployment) e.deployment = `${cf.deployment.kind} ${cf.deployment.name}`;
      return e;
    }),
    cniConfDirs: c.cniConfDirs.map((d) => ({
      dir: d.dir,
      node: d.node,
      runtime: d.runtime,
      runtimeSource: d.runtimeSource,
      maxConfNum: d.maxConfNum,
      candidates: d.load.candidates,
      ignored: d.load.ignored,
      ready: d.load.ready,
      active: d.load.networks.map((n) => ({ file: n.file, name: n.name, cniVersion: n.cniVersion, pluginTypes: n.pluginTypes })),
      error: d.load.ready ? null : { file: d.load.errorFile, message: d.load.errorMessage ?? "no network config found" },
    })),
    cniFiles: c.looseCniFiles.map((f) => ({ file: f.file.path, ok: f.result.ok, name: f.result.name ?? null, pluginTypes: f.result.pluginTypes ?? [], error: f.result.error?.message ?? null })),
    kubeProxyConfigs: c.kubeProxyConfigs.map((k) => ({ source: source(k.object.loc), configMap: k.configMap?.name ?? null, key: k.key, node: k.node, clusterCIDR: k.value.clusterCIDR ?? null, mode: k.value.mode ?? null })),
    kubeletConfigs: c.kubeletConfigs.map((k) => ({ source: source(k.object.loc), configMap: k.configMap?.name ?? null, node: k.node, resolvConf: k.value.resolvConf ?? null, clusterDNS: k.value.clusterDNS ?? null, clusterDomain: k.value.clusterDomain ?? null })),
    kubeadmConfigs: c.kubeadmConfigs.map((k) => ({ source: source(k.object.loc), configMap: k.configMap?.name ?? null, networking: k.value.networking ?? null })),
    flagSources: c.flagSources.map((f) => ({ component: f.component, origin: f.origin, file: f.file.path, node: f.node, flags: Object.fromEntries(f.flags.map((x) => [x.name, x.value])) })),
    nodes: [...c.nodes.values()].map((n) => ({
      name: n.name,
      runtime: n.runtime,
      resolvConfs: [...n.resolvConfs.entries()].map(([p, r]) => ({ path: p, file: r.file.path, nameservers: r.conf.nameservers.map((x) => x.address) })),
      kubeletConfig: n.kubeletConfig ? source(n.kubeletConfig.object.loc) : null,
      cniBinaries: n.cniBinaries?.names ?? null,
    })),
    declaredCnis: (c.declaredCnis ?? []).map((d) => ({ vendor: d.vendor, origin: d.origin, source: source(d.loc) })),
    objects: c.objects.map((o) => ({ kind: o.kind, namespace: o.namespace || null, name: o.name, ...source(o.loc) })),
    counts: c.counts,
    observed: observedToJson(c.observed),
  };
}

/** What the snapshot shows, in brief: each entry with its place in the snapshot. */
function observedToJson(o: ClusterModel["observed"]) {
  const state = (s: { kind: string; reason: string; exitCode: number | null }) => (s.kind === "none" ? null : { [s.kind]: s.reason || null, ...(s.exitCode !== null ? { exitCode: s.exitCode } : {}) });
  return {
    pods: o.pods.map((p) => ({
      namespace: p.namespace, name: p.name, node: p.node, phase: p.phase,
      conditions: Object.fromEntries(p.conditions.map((c) => [c.type, c.status])),
      containers: p.containers.map((c) => ({ name: c.name, ready: c.ready, restartCount: c.restartCount, state: state(c.state), lastState: state(c.lastState) })),
      events: p.events.length,
      ...source(p.object.loc),
    })),
    nodes: o.nodes.map((n) => ({ name: n.name, ready: n.ready ? { status: n.ready.status, reason: n.ready.reason } : null, taints: n.taints.map((t) => `${t.key}:${t.effect}`), ...source(n.object.loc) })),
    events: o.events.map((e) => ({ reason: e.reason, type: e.type, count: e.count, involved: e.involved ? `${e.involved.kind} ${e.involved.namespace ? `${e.involved.namespace}/` : ""}${e.involved.name}` : null, ...source(e.object.loc) })),
    endpoints: o.endpoints.map((e) => ({ kind: e.kind, namespace: e.namespace, service: e.service, ready: e.ready, notReady: e.notReady, ...source(e.object.loc) })),
  };
}

export function runInspect(paths: readonly string[], options: LintOptions = {}) {
  const { clusters, filesRead } = buildModel(paths, options);
  return { version: 1 as const, filesRead, clusters: clusters.map(clusterToJson) };
}
