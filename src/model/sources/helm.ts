/**
 * Helm values and the objects that carry them, handed to the chart adapters (coredns-chart, cilium,
 * calico): a plain values file, a Flux HelmRelease `spec.values` (a map), an Argo CD Application's
 * `spec.source(s)[].helm.valuesObject` (a map, which wins) or `.values` (a YAML string), an RKE2/k3s
 * HelmChartConfig or HelmChart `spec.valuesContent` (a YAML string), a ConfigMap's `values.yaml` key (Flux
 * valuesFrom). Values held in a string are parsed
 * with positions mapped into the string, so findings land on the line inside it.
 *
 * A plain values file is recognised by its name (values.yaml, values-*.yaml, *-values.yaml,
 * *.values.yaml, or any YAML file in a `values/` or `helm-values/` directory) AND a chart's distinctive top-level key on its first 16 KiB (`servers:` with plugins
 * for CoreDNS, `ipam:`/`kubeProxyReplacement:` for Cilium, `installation:` with calicoNetwork for the
 * tigera-operator), then the parsed values must match that chart's shape. Other YAML is never read.
 * Not read: `valuesFrom` Secrets and the merge of valuesFrom with spec.values, Argo CD `valueFiles` and `parameters`, chart templates
 * (render them with `helm template … | kube-netlint -`).
 */
import path from "node:path";
import type { PathSegment } from "../../parsers/yaml.js";
import type { K8sObject } from "../types.js";
import { chartAdapters } from "./index.js";
import { isRecord, label, locOf, pathValue } from "./lib.js";
import type { SourceAdapter, SourceContext, ValuesRef } from "./types.js";

const VALUES_NAME = /^(.*[-_.])?values([-_.][^/]*)?\.ya?ml$/i;
/** A values directory (`values/coredns.yaml`, `helm-values/cilium.yaml`). */
const VALUES_DIR = /(^|\/)(helm-)?values\/[^/]+\.ya?ml$/i;
const KNOWN: Record<string, RegExp> = {
  HelmRelease: /^helm\.toolkit\.fluxcd\.io\/(v2|v2beta1|v2beta2)$/,
  Application: /^argoproj\.io\/v1alpha1$/,
  HelmChartConfig: /^helm\.cattle\.io\/v1$/,
  HelmChart: /^helm\.cattle\.io\/v1$/,
};
const GROUP: Record<string, RegExp> = { HelmRelease: /^helm\.toolkit\.fluxcd\.io\//, Application: /^argoproj\.io\//, HelmChartConfig: /^helm\.cattle\.io\//, HelmChart: /^helm\.cattle\.io\// };

function dispatch(ref: ValuesRef, ctx: SourceContext): void {
  const charts = chartAdapters();
  const named = ref.chart ? charts.find((a) => a.chart!.names.test(ref.chart!)) : undefined;
  const adapter = named ?? charts.find((a) => a.chart!.looksLike(ref.values));
  adapter?.chart!.values(ref, ctx);
}

function typeName(v: unknown): string {
  return Array.isArray(v) ? "a list" : v === null ? "null" : typeof v === "string" ? "a string" : typeof v === "object" ? "a map" : `a ${typeof v}`;
}

/** A values map at `path`, or the first YAML document of a string there; anything else is a notice. */
function valuesAt(ctx: SourceContext, obj: K8sObject, p: PathSegment[], origin: string, chart: string | null, stringOk: boolean, mapOk: boolean): void {
  const v = pathValue(obj.value, p);
  if (v === undefined || v === null || v === "") return;
  if (isRecord(v) && mapOk) {
    dispatch({ obj, base: p, values: v, origin, chart }, ctx);
    return;
  }
  if (typeof v === "string" && stringOk) {
    const docs = ctx.embedded(obj, p);
    const first = docs[0];
    if (first) dispatch({ obj: first, base: [], values: first.value, origin, chart }, ctx);
    return;
  }
  const loc = locOf(obj, p);
  ctx.notice(obj, `${loc.file.path}:${loc.file.lines.position(loc.start).line}: ${origin} is ${typeName(v)}, not ${mapOk ? "a map of values" : "a YAML string"}: ${obj.kind === "HelmRelease" ? "Flux rejects the HelmRelease" : "the values are not applied"}; not read`);
}

/** A ConfigMap's keys that hold a chart's values (`values.yaml` with a chart's distinctive key). */
function valuesKeys(cm: K8sObject): string[] {
  const data = cm.value.data;
  if (!isRecord(data)) return [];
  return Object.keys(data).filter((k) => VALUES_NAME.test(k) && typeof data[k] === "string" && chartAdapters().some((a) => a.chart!.textHint.test((data[k] as string).slice(0, 16384))));
}

const adapter: SourceAdapter = {
  name: "helm",
  // ConfigMap: a Flux HelmRelease's valuesFrom source, values under a `values.yaml` key.
  kinds: ["HelmRelease", "Application", "HelmChartConfig", "HelmChart", "ConfigMap"],
  kindFilter: /coredns|cilium|calico|tigera|canal|weave/i,
  selectFile(p, head) {
    if (!VALUES_NAME.test(path.posix.basename(p)) && !VALUES_DIR.test(p)) return false;
    return chartAdapters().some((a) => a.chart!.textHint.test(head));
  },
  accepts: (obj) => (obj.kind === "ConfigMap" ? valuesKeys(obj).length > 0 : obj.kind in GROUP && GROUP[obj.kind]!.test(obj.apiVersion)),
  collect(ctx) {
    for (const obj of ctx.docs) {
      if (!obj.kind) {
        dispatch({ obj, base: [], values: obj.value, origin: `Helm values file ${obj.file.path}`, chart: null }, ctx);
        continue;
      }
      if (obj.kind === "ConfigMap") {
        for (const key of valuesKeys(obj)) valuesAt(ctx, obj, ["data", key], `${label(obj)} data.${key}`, null, true, false);
        continue;
      }
      if (!KNOWN[obj.kind]!.test(obj.apiVersion)) ctx.notice(obj, `${obj.kind} with apiVersion ${obj.apiVersion}: kube-netlint knows ${KNOWN[obj.kind]!.source.replace(/[\\^$]/g, "")} and reads it as such`);
      const name = label(obj);
      if (obj.kind === "HelmRelease") {
        const chart = pathValue(obj.value, ["spec", "chart", "spec", "chart"]) ?? pathValue(obj.value, ["spec", "chartRef", "name"]);
        valuesAt(ctx, obj, ["spec", "values"], `${name} spec.values`, typeof chart === "string" ? chart.toLowerCase() : null, false, true);
      } else if (obj.kind === "Application") {
        const sources: PathSegment[][] = [];
        if (isRecord(pathValue(obj.value, ["spec", "source"]))) sources.push(["spec", "source"]);
        const list = pathValue(obj.value, ["spec", "sources"]);
        if (Array.isArray(list)) list.forEach((_, i) => sources.push(["spec", "sources", i]));
        for (const s of sources) {
          const src = pathValue(obj.value, s) as Record<string, unknown>;
          if (!isRecord(src) || !isRecord(src.helm)) continue;
          const chart = typeof src.chart === "string" ? src.chart : typeof src.path === "string" ? path.posix.basename(src.path) : null;
          // valuesObject beats values (argoproj/argo-cd docs/user-guide/helm.md).
          const which = src.helm.valuesObject !== undefined ? "valuesObject" : "values";
          valuesAt(ctx, obj, [...s, "helm", which], `${name} ${s.map((x) => (typeof x === "number" ? `[${x}]` : `.${x}`)).join("").slice(1)}.helm.${which}`, chart?.toLowerCase() ?? null, which === "values", true);
        }
      } else {
        const chart = obj.kind === "HelmChartConfig" ? obj.name : pathValue(obj.value, ["spec", "chart"]);
        valuesAt(ctx, obj, ["spec", "valuesContent"], `${name} spec.valuesContent`, typeof chart === "string" ? chart.toLowerCase() : null, true, false);
      }
    }
  },
};

export default adapter;
