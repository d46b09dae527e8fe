/**
 * CoreDNS releases as data: which directives each release compiles in (plugin.cfg), which were
 * removed, which plugin options came and went (coredns/corefile-migration), and the target
 * version of a Corefile. Sources: ../../../../../shared/research/coredns-spec.md §2, §3, §5.
 */
import type { ClusterModel, CorefileArtifact, Loc } from "../../../model/types.js";
import { containers } from "../../../model/workloads.js";

export type Version = readonly [number, number, number];

/** The newest release the tables describe (the Corefile parser's plugin list is this release's). */
export const NEWEST: Version = [1, 14, 7];

export function parseVersion(s: string): Version | null {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/.exec(s.trim());
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function cmp(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export const atLeast = (v: Version, s: string): boolean => cmp(v, parseVersion(s)!) >= 0;
export const show = (v: Version): string => v.join(".");

/** plugin.cfg of v1.14.7, in execution order. */
const PLUGINS_1_14_7 = [
  "root", "metadata", "geoip", "cancel", "proxyproto", "quic", "grpc_server", "https", "https3", "timeouts", "multisocket",
  "reload", "nsid", "bufsize", "bind", "debug", "trace", "ready", "health", "pprof", "shed", "prometheus", "errors", "log",
  "dnstap", "local", "dns64", "any", "chaos", "loadbalance", "tsig", "rewrite", "autopath", "acl", "cache", "header",
  "dnssec", "tls", "minimal", "template", "transfer", "hosts", "route53", "azure", "clouddns", "k8s_external", "kubernetes",
  "file", "auto", "secondary", "etcd", "loop", "forward", "grpc", "erratic", "whoami", "on", "sign", "view", "nomad",
] as const;

/**
 * The release that added a directive of the current plugin.cfg, where plugin.cfg's history says so
 * (research §2). Directives not listed here were in plugin.cfg before 1.1, or their first release is
 * not in the table: they count as present in every release, so no release is wrongly told it lacks them.
 */
const ADDED_IN: Readonly<Record<string, string>> = {
  forward: "1.0.5",
  on: "1.0.5",
  metadata: "1.2.0",
  loop: "1.2.1",
  k8s_external: "1.3.0",
  ready: "1.5.0",
  grpc: "1.5.0",
  cancel: "1.5.0",
  transfer: "1.6.5",
  view: "1.10.0",
  multisocket: "1.12.0",
  grpc_server: "1.14.0",
  https: "1.14.0",
  https3: "1.14.0",
};

export interface RemovedPlugin {
  /** First release where the directive is gone from plugin.cfg (`Unknown directive`). */
  removed: string;
  /** First release whose setup rejects it although the directive still parses (a stub), if any. */
  stub?: string;
  /** First release that announced the removal (still works: warning). */
  deprecated?: string;
  replacement: string;
  note: string;
}

/** Directives that left the default build (research §2, §4; corefile-migration). */
export const REMOVED_PLUGINS: Readonly<Record<string, RemovedPlugin>> = {
  proxy: { removed: "1.5.0", deprecated: "1.4.0", replacement: "forward", note: "it now lives out of tree at github.com/coredns/proxy" },
  federation: { removed: "1.7.0", replacement: "kubernetes multicluster or the out-of-tree github.com/coredns/federation", note: "it moved to github.com/coredns/federation in 1.6.3" },
  reverse: { removed: "1.2.0", stub: "1.1.4", replacement: "template (or the file plugin with a reverse zone)", note: "from 1.1.4 its setup only fails with \"this plugin has been deprecated\"" },
  startup: { removed: "1.1.1", deprecated: "1.1.0", replacement: "on startup", note: "the on plugin replaces it" },
  shutdown: { removed: "1.1.1", deprecated: "1.1.0", replacement: "on shutdown", note: "the on plugin replaces it" },
};

/** Whether a directive is compiled into a release (the parser rejects it otherwise). */
export function pluginExists(name: string, v: Version): boolean {
  const removed = REMOVED_PLUGINS[name];
  if (removed) return !atLeast(v, removed.removed);
  if (!(PLUGINS_1_14_7 as readonly string[]).includes(name)) return false;
  const added = ADDED_IN[name];
  return !added || atLeast(v, added);
}

export function addedIn(name: string): string | undefined {
  return ADDED_IN[name];
}

/** Every directive some release knows: candidates for "did you mean". */
export function pluginsOf(v: Version): string[] {
  return [...PLUGINS_1_14_7, ...Object.keys(REMOVED_PLUGINS)].filter((p) => pluginExists(p, v));
}

export function isKnownPluginName(name: string): boolean {
  return (PLUGINS_1_14_7 as readonly string[]).includes(name) || name in REMOVED_PLUGINS;
}

/**
 * Plugins whose setup returns plugin.ErrOnce ("this plugin can only be used once per Server Block")
 * on a second occurrence in one block (research §1.7). `forward` was one of them before 1.9.4.
 */
const ERR_ONCE = ["cache", "dnssec", "errors", "grpc", "hosts", "kubernetes", "loop", "prometheus", "nsid", "pprof", "ready", "shed", "tsig", "view"];

export function isErrOnce(name: string, v: Version): boolean {
  return ERR_ONCE.includes(name) || (name === "forward" && !atLeast(v, "1.9.4"));
}

export type OptionStage = "deprecated" | "ignored" | "removed";

export interface OptionChange {
  plugin: string;
  option: string;
  stages: { stage: OptionStage; since: string }[];
  replacement: string;
  /** Only when the option has more than this many arguments (kubernetes `endpoint A B`). */
  minArgs?: number;
}

/** coredns/corefile-migration's deprecations and removals of options (research §5). */
export const OPTION_CHANGES: readonly OptionChange[] = [
  { plugin: "kubernetes", option: "upstream", stages: [{ stage: "deprecated", since: "1.4.0" }, { stage: "ignored", since: "1.5.0" }, { stage: "removed", since: "1.7.0" }], replacement: "delete the line: CoreDNS resolves external CNAME targets through its own upstream since 1.5.0" },
  { plugin: "kubernetes", option: "resyncperiod", stages: [{ stage: "deprecated", since: "1.5.0" }, { stage: "ignored", since: "1.6.0" }, { stage: "removed", since: "1.7.0" }], replacement: "delete the line" },
  { plugin: "kubernetes", option: "transfer", stages: [{ stage: "removed", since: "1.8.0" }], replacement: "use the transfer plugin (`transfer { to ... }` in the same server block)" },
  { plugin: "kubernetes", option: "endpoint", minArgs: 2, stages: [{ stage: "deprecated", since: "1.3.1" }, { stage: "ignored", since: "1.4.0" }], replacement: "keep one endpoint URL: only the first one is used" },
  { plugin: "proxy", option: "protocol https_google", stages: [{ stage: "ignored", since: "1.1.4" }, { stage: "removed", since: "1.2.0" }], replacement: "use forward with a tls:// upstream" },
];

/** The stage of an option change at a version, or null when it still works normally. */
export function optionStage(change: OptionChange, v: Version): { stage: OptionStage; since: string } | null {
  let out: { stage: OptionStage; since: string } | null = null;
  for (const s of change.stages) if (atLeast(v, s.since)) out = s;
  return out;
}

/** Options each plugin's setup accepts in the newest release, with the release that added them where corefile-migration records it. */
export const PLUGIN_OPTIONS: Readonly<Record<string, Readonly<Record<string, string | null>>>> = {
  kubernetes: {
    endpoint: null, tls: null, kubeconfig: "1.2.3", apiserver_qps: null, apiserver_burst: null, apiserver_max_inflight: null,
    namespaces: null, namespace_labels: null, labels: null, pods: null, endpoint_pod_names: null, ttl: null, noendpoints: null,
    fallthrough: null, ignore: null, multicluster: null, zonal: null, startup_timeout: null,
  },
  forward: {
    except: null, force_tcp: null, prefer_udp: "1.2.0", expire: null, max_fails: null, max_connect_attempts: null, tls: null,
    tls_servername: null, policy: null, health_check: null, max_concurrent: "1.6.9", next: "1.11.4", failover: null,
    failfast_all_unhealthy_upstreams: "1.12.0", doh_method: null, source_address: null, resolver: "1.14.4", read_timeout: null,
    max_idle_conns: null, max_age: null,
  },
  cache: { success: null, denial: null, prefetch: null, serve_stale: "1.6.6", servfail: "1.9.4", disable: "1.9.4", keepttl: "1.10.1" },
};

export interface TargetVersion {
  version: Version;
  /** Where it comes from, for messages: "image registry.k8s.io/coredns/coredns:v1.11.3 (Deployment coredns)". */
  origin: string;
  loc: Loc | null;
  /** False when no source states it (the newest release is assumed). */
  stated: boolean;
}

/** The CoreDNS version a Corefile runs on: the Deployment's image tag, else facts.corednsVersion, else the newest. */
export function targetVersion(cf: CorefileArtifact, cluster: ClusterModel): TargetVersion {
  if (cf.deployment) {
    for (const c of containers(cf.deployment)) {
      const m = /(?:^|\/)coredns:([^@/]+)(?:@.*)?$/.exec(c.image);
      const v = m ? parseVersion(m[1]!) : null;
      if (v) {
        return { version: v, origin: `image ${c.image} (${cf.deployment.kind} ${cf.deployment.name})`, loc: cf.deployment.rangeAt([...c.path, "image"]) ?? null, stated: true };
      }
    }
  }
  const fact = cluster.configFacts.corednsVersion;
  const v = typeof fact === "string" || typeof fact === "number" ? parseVersion(String(fact)) : null;
  if (v) return { version: v, origin: "facts.corednsVersion", loc: null, stated: true };
  return { version: NEWEST, origin: `the newest release known to kube-netlint (no Deployment image or facts.corednsVersion)`, loc: null, stated: false };
}

/** "CoreDNS 1.11.3 (image ... )" for messages. */
export function describeTarget(t: TargetVersion): string {
  return t.stated ? `CoreDNS ${show(t.version)} (${t.origin})` : `CoreDNS ${show(t.version)}, ${t.origin}`;
}
