/**
 * CoreDNS releases as data: which directives each release compiles in (plugin.cfg), which were
 * removed or stubbed, which options each plugin's setup accepts, ignores or warns about, and the
 * target version of a Corefile. The facts are src/generated/coredns-versions.ts, generated from
 * coredns/coredns's release tags by scripts/gen-coredns-versions.mjs (docs/development.md).
 */
import type { ClusterModel, CorefileArtifact, Loc } from "../../../model/types.js";
import { containers } from "../../../model/workloads.js";
import { COREDNS_HISTORY } from "../../../generated/coredns-versions.js";

export type Version = readonly [number, number, number];

/** The newest release the tables describe (the Corefile parser's plugin list is this release's). */
export const NEWEST: Version = parseVersion(COREDNS_HISTORY.releases[COREDNS_HISTORY.releases.length - 1]!)!;

export function parseVersion(s: string): Version | null {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/.exec(s.trim());
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function cmp(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The versions rules compare with, parsed once each (a rule asks per server block). */
const BOUNDS = new Map<string, Version>();
export const atLeast = (v: Version, s: string): boolean => {
  let b = BOUNDS.get(s);
  if (!b) BOUNDS.set(s, (b = parseVersion(s)!));
  return cmp(v, b) >= 0;
};
export const show = (v: Version): string => v.join(".");

// ------------------------------------------------------------------ the generated history

const RELEASES: readonly Version[] = COREDNS_HISTORY.releases.map((r) => parseVersion(r)!);
const PLUGINS = COREDNS_HISTORY.plugins;
/** The plugins by name, for names read from a Corefile: a Map asks no prototype ("constructor" is no plugin) and hashes what an object lookup would first internalise. */
const PLUGIN_MAP = new Map(Object.entries(PLUGINS));
const pluginFacts = (name: string) => PLUGIN_MAP.get(name);
/** An option's facts: own keys only (an option named `constructor` is not Object's). */
const optionOf = (plugin: string, option: string) => {
  const options = pluginFacts(plugin)?.options;
  return options && Object.hasOwn(options, option) ? options[option] : undefined;
};

/** The release whose facts hold for a version: the newest release not newer than it (the first for older ones). */
const indexCache = new Map<string, number>();
/** The same, by the version's own list: a Corefile's target version is one list, asked about for each of its server blocks. */
const indexOfList = new WeakMap<Version, number>();
function releaseIndex(v: Version): number {
  let i = indexOfList.get(v);
  if (i !== undefined) return i;
  const key = v.join(".");
  i = indexCache.get(key);
  if (i === undefined) {
    i = 0;
    while (i + 1 < RELEASES.length && cmp(RELEASES[i + 1]!, v) <= 0) i++;
    indexCache.set(key, i);
  }
  indexOfList.set(v, i);
  return i;
}

const rangeCache = new Map<string, [number, number][]>();
/** "1.6.0-1.6.9,1.8.0" as index intervals over the releases. */
function intervals(ranges: string): [number, number][] {
  let out = rangeCache.get(ranges);
  if (out) return out;
  out = [];
  const at = (r: string) => COREDNS_HISTORY.releases.indexOf(r);
  for (const part of ranges.split(",").filter(Boolean)) {
    const [a, b] = part.split("-");
    out.push([at(a!), at(b ?? a!)]);
  }
  rangeCache.set(ranges, out);
  return out;
}

/** Whether a version falls in a range list of the generated data. */
export function inRanges(ranges: string | undefined, v: Version): boolean {
  if (!ranges) return false;
  const i = releaseIndex(v);
  return intervals(ranges).some(([a, b]) => i >= a && i <= b);
}

const firstOf = (ranges: string | undefined): string | undefined => (ranges ? COREDNS_HISTORY.releases[intervals(ranges)[0]![0]] : undefined);
/** The release after the last of a range list, if the list ends before the newest release. */
function endOf(ranges: string | undefined): string | undefined {
  if (!ranges) return undefined;
  const iv = intervals(ranges);
  const last = iv[iv.length - 1]![1];
  return COREDNS_HISTORY.releases[last + 1];
}

/** Whether a directive is compiled into a release (the parser rejects it otherwise). */
export function pluginExists(name: string, v: Version): boolean {
  return inRanges(pluginFacts(name)?.present, v);
}

/** The first release whose plugin.cfg lists the directive, when that is after the first release described. */
export function addedIn(name: string): string | undefined {
  const first = firstOf(pluginFacts(name)?.present);
  return first && first !== COREDNS_HISTORY.releases[0] ? first : undefined;
}

/** Every directive a release compiles in: candidates for "did you mean". */
export function pluginsOf(v: Version): string[] {
  return Object.keys(PLUGINS).filter((p) => pluginExists(p, v));
}

export function isKnownPluginName(name: string): boolean {
  return PLUGIN_MAP.has(name);
}

/** A directive mapped to the deprecated stub in this release: it parses, and its setup fails. */
export function isStub(name: string, v: Version): boolean {
  return inRanges(pluginFacts(name)?.stub, v);
}

/** Plugins whose setup returns plugin.ErrOnce ("this plugin can only be used once per Server Block") on a second use in one block. */
export function isErrOnce(name: string, v: Version): boolean {
  return inRanges(pluginFacts(name)?.once, v);
}

export interface RemovedPlugin {
  /** First release where the directive is gone from plugin.cfg (`Unknown directive`). */
  removed: string;
  /** First release whose setup rejects it although the directive still parses (a stub), if any. */
  stub?: string;
  /** First release that announced the removal (still works: warning), from the release notes. */
  deprecated?: string;
  replacement: string;
  note: string;
}

/**
 * Advice for directives that left the default build. The releases come from the generated history
 * (plugin.cfg); `deprecated` is the release whose notes announced it (notes/coredns-X.md), which the
 * code does not show.
 */
const REMOVED_ADVICE: Readonly<Record<string, { replacement: string; note: string; deprecated?: string }>> = {
  proxy: { deprecated: "1.4.0", replacement: "forward", note: "it now lives out of tree at github.com/coredns/proxy" },
  federation: { replacement: "kubernetes multicluster or the out-of-tree github.com/coredns/federation", note: "it moved to github.com/coredns/federation in 1.6.3" },
  reverse: { replacement: "template (or the file plugin with a reverse zone)", note: "its last releases only fail with \"this plugin has been deprecated\"" },
  startup: { deprecated: "1.0.6", replacement: "on startup", note: "the on plugin replaces it" },
  shutdown: { deprecated: "1.0.6", replacement: "on shutdown", note: "the on plugin replaces it" },
};

/** Directives that left the default build before the newest release; looked up by names read from Corefiles, so without a prototype (`constructor` is no removed plugin). */
export const REMOVED_PLUGINS: Readonly<Record<string, RemovedPlugin>> = Object.assign(
  Object.create(null) as Record<string, RemovedPlugin>,
  Object.fromEntries(
    Object.entries(PLUGINS)
      .filter(([, p]) => endOf(p.present) !== undefined)
      .map(([name, p]) => {
        const advice = REMOVED_ADVICE[name] ?? { replacement: "another plugin", note: "see the CoreDNS release notes" };
        const stub = firstOf(p.stub);
        return [name, { removed: endOf(p.present)!, ...(stub ? { stub } : {}), ...(advice.deprecated ? { deprecated: advice.deprecated } : {}), replacement: advice.replacement, note: advice.note }];
      }),
  ),
);

// ------------------------------------------------------------------ options

export type UnknownOption = "unknown-property" | "arg-error" | "error";

/** How a plugin's setup answers a keyword it does not know, or null when its options are not known for this release. */
export function optionSwitch(plugin: string, v: Version): UnknownOption | null {
  const closed = pluginFacts(plugin)?.closed;
  if (!closed) return null;
  for (const kind of ["unknown-property", "arg-error", "error"] as const) if (inRanges(closed[kind], v)) return kind;
  return null;
}

/** The error a plugin's setup gives for a keyword its option switch does not know. */
export function unknownOptionError(kind: UnknownOption, name: string): string {
  return kind === "unknown-property" ? `unknown property '${name}'` : kind === "arg-error" ? `Wrong argument count or unexpected line ending after '${name}'` : `'${name}' is not an option it accepts`;
}

/** The options a plugin accepts in a release (null when unknown). */
const optionsCache = new Map<string, string[] | null>();
export function optionsOf(plugin: string, v: Version): string[] | null {
  const key = `${plugin} ${releaseIndex(v)}`;
  let out = optionsCache.get(key);
  if (out !== undefined) return out;
  out = optionSwitch(plugin, v) ? Object.entries(pluginFacts(plugin)?.options ?? {}).filter(([, o]) => inRanges(o.accepted, v)).map(([name]) => name) : null;
  optionsCache.set(key, out);
  return out;
}

export interface OptionFacts {
  accepted: boolean;
  /** First release that accepts it, and the release after the last that did (when it was removed). */
  since?: string;
  removedIn?: string;
  /** Accepted and does nothing; reads its arguments. */
  ignored: boolean;
  /** Accepted and does nothing, without reading its arguments: they are read as the next keywords. */
  ignoredLeavesArgs: boolean;
  deprecated: boolean;
  /** Deprecated only with more than this many arguments. */
  deprecatedOverArgs?: number;
  /** First release that ignores it (for messages). */
  ignoredSince?: string;
}

/** What the generated history says about one option of a plugin in a release; null when the history never saw it. */
export function optionFacts(plugin: string, option: string, v: Version): OptionFacts | null {
  const o = optionOf(plugin, option);
  if (!o) return null;
  const accepted = inRanges(o.accepted, v);
  const i = releaseIndex(v);
  const iv = intervals(o.accepted);
  const lastBefore = iv.filter(([, b]) => b < i).pop();
  const out: OptionFacts = {
    accepted,
    since: firstOf(o.accepted),
    ignored: accepted && inRanges(o.ignored, v),
    ignoredLeavesArgs: accepted && inRanges(o.ignoredLeavesArgs, v),
    deprecated: accepted && inRanges(o.deprecated, v),
  };
  if (!accepted && lastBefore) out.removedIn = COREDNS_HISTORY.releases[lastBefore[1] + 1];
  if (accepted && o.deprecatedOverArgs && inRanges(o.deprecatedOverArgs, v)) out.deprecatedOverArgs = o.deprecatedOverArgsCount ?? 0;
  const ig = out.ignored ? o.ignored : out.ignoredLeavesArgs ? o.ignoredLeavesArgs : undefined;
  if (ig) out.ignoredSince = COREDNS_HISTORY.releases[intervals(ig).filter(([a, b]) => a <= i && i <= b)[0]![0]];
  return out;
}

/**
 * Deprecations that only the release notes announce (the code keeps working and logs nothing), so the
 * generated history cannot show them: release, and the notes that say so.
 */
const ANNOUNCED_DEPRECATIONS: Readonly<Record<string, { since: string; source: string }>> = {
  "kubernetes resyncperiod": { since: "1.5.0", source: "notes/coredns-1.5.0.md, Deprecations" },
};

/** A deprecation the release notes announced for this option, in effect at the version. */
export function announcedDeprecation(plugin: string, option: string, v: Version): { since: string; source: string } | null {
  const a = ANNOUNCED_DEPRECATIONS[`${plugin} ${option}`];
  return a && atLeast(v, a.since) ? a : null;
}

/** The release after which an ignored or accepted option stops being accepted, if it does. */
export function optionRemovedAfter(plugin: string, option: string, v: Version): string | undefined {
  const o = optionOf(plugin, option);
  if (!o) return undefined;
  const i = releaseIndex(v);
  const cur = intervals(o.accepted).find(([a, b]) => a <= i && i <= b);
  return cur ? COREDNS_HISTORY.releases[cur[1] + 1] : undefined;
}

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
