/**
 * kustomize, the common subset: a kustomization tree (resources and bases, `patchesStrategicMerge`,
 * `patches`, `patchesJson6902`, `namespace`) becomes one cluster view per overlay (a kustomization no
 * other one refers to), holding the objects as the overlay produces them. Every value keeps the
 * position of the file that supplies it (model/kustomize/merge.ts), so a finding lands on the patch
 * or on the base. Generators, components, replacements, remote bases and Helm inflation are not
 * rendered: a notice names them and the route (`kustomize build DIR | kube-netlint -`); see
 * docs/kustomize.md.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { LineIndex } from "../../parsers/lines.js";
import { mapStringToSource } from "../../parsers/string-map.js";
import { parseYamlDocument, splitYamlDocuments, yamlRange, yamlScalarAt, type ParsedYamlDocument, type PathSegment } from "../../parsers/yaml.js";
import { KUSTOMIZATION_FILE, type RawInput } from "../load.js";
import { embeddedText, type EmbeddedText } from "../objects.js";
import { leadsOutside, type ReadPolicy } from "../read-policy.js";
import type { K8sObject, Loc, SourceFile } from "../types.js";
import { jsonPatchOp, leaf, mergedObject, strategicMerge, type Located, type Prov } from "./merge.js";
import { isKustomization, isRemoteRef, resolveRef } from "./refs.js";

export interface KustomizeView {
  /** The overlay's directory (display path). */
  name: string;
  raw: RawInput;
}

/** Fields of a kustomization that this subset does not render (each named in docs/kustomize.md). */
const UNRENDERED = ["configMapGenerator", "secretGenerator", "generators", "components", "replacements", "vars", "helmCharts", "helmChartInflationGenerator", "transformers", "images", "replicas", "namePrefix", "nameSuffix"];

/** A kustomization that names a networking component: its unrendered parts are worth a notice even when no object of it was read. */
const NETWORKING = /coredns|Corefile|kube-dns|kube-proxy|kubelet|kubeadm|flannel|calico|cilium|cni/i;

const CLUSTER_SCOPED = new Set(["ClusterRole", "ClusterRoleBinding", "Node", "Namespace", "CustomResourceDefinition", "StorageClass", "PersistentVolume", "PriorityClass", "IngressClass"]);

type Plain = Record<string, unknown>;
const isMap = (v: unknown): v is Plain => v !== null && typeof v === "object" && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

interface Item {
  base: K8sObject;
  value: Plain;
  prov: Prov;
  changed: boolean;
}

interface Patch {
  doc: Located;
  value: unknown;
  /** Where the patch's value starts in its document. */
  at: PathSegment[];
  target: Plain | null;
  json6902: boolean;
  where: Loc;
}

/** Parsed documents as Located, with a position mapping for documents held in a string field. */
function located(file: SourceFile, parsed: ParsedYamlDocument, emb?: EmbeddedText): Located {
  const map = (r: [number, number]): [number, number] => {
    if (!emb) return r;
    const start = emb.toFile(r[0]);
    return [start, Math.max(start, emb.toFile(Math.max(r[0], r[1] - 1)) + 1)];
  };
  return {
    file,
    rangeAt(p, part = "value") {
      const r = yamlRange(parsed, p, part);
      if (!r) return undefined;
      const [start, end] = map(r);
      return { file, start, end };
    },
    stringSource(p) {
      const s = yamlScalarAt(parsed, p);
      if (!s) return undefined;
      const inner = mapStringToSource(emb ? emb.text : file.text, s.start, s.end, s.type, s.value);
      if (!emb) return { ...inner, value: s.value, file };
      const offsets = new Int32Array(inner.offsets.length);
      for (let i = 0; i < offsets.length; i++) offsets[i] = emb.toFile(inner.offsets[i]!);
      return { offsets, exact: inner.exact, value: s.value, file };
    },
  };
}

function documents(file: SourceFile, text: string, emb?: EmbeddedText): { doc: Located; value: unknown }[] {
  const out: { doc: Located; value: unknown }[] = [];
  for (const slice of splitYamlDocuments(text)) {
    const parsed = parseYamlDocument(text, slice);
    if (parsed.errors.length || parsed.value === null || parsed.value === undefined) continue;
    out.push({ doc: located(file, parsed, emb), value: parsed.value });
  }
  return out;
}

export function kustomizeViews(raw: RawInput, policy?: ReadPolicy): { views: KustomizeView[]; rest: RawInput } | null {
  const kusts = new Map<string, K8sObject>();
  for (const o of raw.objects) {
    if (!isKustomization(o)) continue;
    kusts.set(path.posix.dirname(o.file.path), o);
  }
  if (kusts.size === 0) return null;
  const filesByPath = new Map(raw.files.map((f) => [f.path, f]));
  const objectsByFile = new Map<string, K8sObject[]>();
  for (const o of raw.objects) {
    if (o.kind === "Kustomization") continue;
    const list = objectsByFile.get(o.file.path) ?? [];
    list.push(o);
    objectsByFile.set(o.file.path, list);
  }
  const notices = new Set<string>();
  const referenced = new Set<string>();
  for (const [dir, k] of kusts) for (const r of [...strings(k.value.resources), ...strings(k.value.bases), ...strings(k.value.components)]) if (!isRemoteRef(r)) referenced.add(resolveRef(dir, r));
  const claimed = new Set<string>([...kusts.values()].map((k) => k.file.path));
  const extraFiles = new Map<string, SourceFile>();

  /** A patch file's text: the loaded file, else read from disk within the input (a JSON 6902 list is not an object the loader keeps). */
  const patchFile = (k: K8sObject, rel: string): SourceFile | null => {
    const display = resolveRef(path.posix.dirname(k.file.path), rel);
    const known = filesByPath.get(display) ?? extraFiles.get(display);
    if (known) return known;
    if (!k.file.absPath || !policy) return null;
    const abs = path.resolve(path.dirname(k.file.absPath), rel);
    try {
      if (leadsOutside(abs, policy) || statSync(abs).size > policy.maxFileSize) return null;
      const text = readFileSync(abs, "utf8");
      const sf: SourceFile = { path: display, absPath: abs, text, lines: new LineIndex(text), format: "yaml" };
      extraFiles.set(display, sf);
      return sf;
    } catch {
      return null;
    }
  };

  const patchesOf = (k: K8sObject): Patch[] => {
    const out: Patch[] = [];
    const fromText = (file: SourceFile, text: string, target: Plain | null, where: Loc, emb?: EmbeddedText) => {
      for (const { doc, value } of documents(file, text, emb)) {
        const json6902 = Array.isArray(value);
        out.push({ doc, value, at: [], target, json6902, where });
      }
    };
    const inline = (fieldPath: PathSegment[], target: Plain | null) => {
      const emb = embeddedText(k, fieldPath);
      if (emb) fromText(emb.file, emb.text, target, k.locate(fieldPath), emb);
    };
    const fromFile = (rel: string, target: Plain | null, where: Loc) => {
      const f = patchFile(k, rel);
      if (!f) {
        notices.add(`${k.file.path}: patch ${rel} is not in the input: lint the directory that holds the whole kustomization tree`);
        return;
      }
      claimed.add(f.path);
      fromText(f, f.text, target, where);
    };
    strings(k.value.patchesStrategicMerge).forEach((p, i) => {
      if (p.includes("\n")) inline(["patchesStrategicMerge", i], null);
      else fromFile(p, null, k.locate(["patchesStrategicMerge", i]));
    });
    const patches = Array.isArray(k.value.patches) ? k.value.patches : [];
    patches.forEach((p, i) => {
      if (!isMap(p)) return;
      const target = isMap(p.target) ? p.target : null;
      if (typeof p.patch === "string") inline(["patches", i, "patch"], target);
      else if (typeof p.path === "string") fromFile(p.path, target, k.locate(["patches", i, "path"]));
    });
    const legacy = Array.isArray(k.value.patchesJson6902) ? k.value.patchesJson6902 : [];
    legacy.forEach((p, i) => {
      if (!isMap(p) || !isMap(p.target)) return;
      if (typeof p.patch === "string") inline(["patchesJson6902", i, "patch"], p.target);
      else if (typeof p.path === "string") fromFile(p.path, p.target, k.locate(["patchesJson6902", i, "path"]));
    });
    return out;
  };

  const matches = (item: Item, patch: Patch): boolean => {
    const m = (item.value.metadata ?? {}) as Plain;
    const name = m.name;
    const ns = typeof m.namespace === "string" ? m.namespace : "";
    if (patch.target) {
      const t = patch.target;
      if (typeof t.kind === "string" && t.kind !== item.value.kind) return false;
      // kustomize reads target.name as a regular expression; a repository's text is not compiled here: exact names only.
      if (typeof t.name === "string" && t.name !== name) return false;
      if (typeof t.namespace === "string" && ns && t.namespace !== ns) return false;
      if (t.labelSelector !== undefined || t.annotationSelector !== undefined) return false;
      return true;
    }
    if (!isMap(patch.value)) return false;
    const pm = (patch.value.metadata ?? {}) as Plain;
    if (patch.value.kind !== item.value.kind || pm.name !== name) return false;
    return typeof pm.namespace !== "string" || !ns || pm.namespace === ns;
  };

  const build = (dir: string, stack: string[]): { items: Item[]; files: Set<string> } => {
    const k = kusts.get(dir)!;
    const files = new Set<string>([k.file.path]);
    let items: Item[] = [];
    const unrendered = UNRENDERED.filter((f) => k.value[f] !== undefined);
    if (unrendered.length) notices.add(`${k.file.path}: ${unrendered.join(", ")} not rendered by kube-netlint (docs/kustomize.md): to check the output as applied, run \`kustomize build ${dir} | kube-netlint -\``);
    for (const r of [...strings(k.value.resources), ...strings(k.value.bases)]) {
      if (isRemoteRef(r)) {
        notices.add(`${k.file.path}: remote resource ${r} is not fetched: run \`kustomize build ${dir} | kube-netlint -\` to check it`);
        continue;
      }
      const target = resolveRef(dir, r);
      if (kusts.has(target)) {
        if (stack.includes(target)) continue;
        const sub = build(target, [...stack, target]);
        items.push(...sub.items);
        for (const f of sub.files) files.add(f);
        continue;
      }
      const objs = objectsByFile.get(target);
      if (objs) {
        files.add(target);
        claimed.add(target);
        for (const o of objs) items.push({ base: o, value: o.value, prov: leaf(o, []), changed: false });
        continue;
      }
      if (!filesByPath.has(target) && k.file.absPath && policy) {
        const abs = path.resolve(path.dirname(k.file.absPath), r);
        let exists = false;
        try {
          statSync(abs);
          exists = true;
        } catch {
          /* missing */
        }
        if (!exists || leadsOutside(abs, policy) || !policy.roots.some((root) => !path.relative(root, abs).startsWith(".."))) {
          notices.add(`${k.file.path}: resource ${r} is not in the input: lint the directory that holds the whole kustomization tree`);
        }
      }
    }
    for (const patch of patchesOf(k)) {
      files.add(patch.doc.file.path);
      // A strategic-merge patch is a mapping, a JSON 6902 patch a list: anything else kustomize rejects.
      if (!patch.json6902 && !isMap(patch.value)) continue;
      items = items.flatMap((item) => {
        if (!matches(item, patch)) return [item];
        if (patch.json6902) {
          let value = item.value;
          let prov = item.prov;
          (patch.value as unknown[]).forEach((op, i) => {
            if (!isMap(op)) return;
            const r = jsonPatchOp(value, prov, op, patch.doc, [...patch.at, i]);
            if (r) [value, prov] = r;
          });
          return [{ ...item, value, prov, changed: true }];
        }
        // A patch with a target applies to every match whatever its own name says.
        const pv = patch.target && isMap(patch.value) ? { ...patch.value, metadata: { ...((patch.value.metadata ?? {}) as Plain), name: (item.value.metadata as Plain | undefined)?.name } } : patch.value;
        const [value, prov] = strategicMerge(item.value, item.prov, pv, patch.doc, patch.at);
        return value === undefined ? [] : [{ ...item, value: value as Plain, prov, changed: true }];
      });
    }
    const ns = typeof k.value.namespace === "string" ? k.value.namespace : null;
    if (ns) {
      items = items.map((item) => {
        if (CLUSTER_SCOPED.has(String(item.value.kind))) return item;
        const metadata = { ...((item.value.metadata ?? {}) as Plain), namespace: ns };
        const meta = item.prov.children?.get("metadata") ?? leaf(item.prov.at, [...item.prov.path, "metadata"]);
        const children = new Map(meta.children ?? []);
        children.set("namespace", leaf(k, ["namespace"]));
        const top = new Map(item.prov.children ?? []);
        top.set("metadata", { ...meta, children });
        return { ...item, value: { ...item.value, metadata }, prov: { ...item.prov, children: top }, changed: true };
      });
    }
    return { items, files };
  };

  const views: KustomizeView[] = [];
  const said = new Set<string>();
  for (const dir of [...kusts.keys()].sort()) {
    if (referenced.has(dir)) continue;
    notices.clear();
    const { items, files } = build(dir, [dir]);
    // What is not rendered matters where the tree holds something the rules read, or mentions it (a generated Corefile).
    const relevant = items.length > 0 || [...files].some((f) => NETWORKING.test(filesByPath.get(f)?.text ?? ""));
    for (const n of notices) if (relevant && !said.has(n)) said.add(n), raw.notices.push(n);
    // An overlay of apps only (no object any rule reads) is no cluster view.
    if (items.length === 0) continue;
    const objects = items.map((i) => (i.changed ? mergedObject(i.base, i.value, i.prov) : i.base));
    const viewFiles = [...files].map((p) => filesByPath.get(p) ?? extraFiles.get(p)).filter((f): f is SourceFile => !!f);
    const inView = new Set(viewFiles.map((f) => f.path));
    const counts = new Map([...raw.counts].filter(([p]) => inView.has(p)));
    views.push({
      name: dir,
      raw: {
        ...emptyLike(raw),
        files: viewFiles,
        objects,
        problems: raw.problems.filter((p) => inView.has(p.loc.file.path)),
        counts,
      },
    });
  }
  const rest: RawInput = {
    ...raw,
    // A kustomization that does not parse is no tree: it stays, so that its yaml/syntax finding is reported.
    files: raw.files.filter((f) => !claimed.has(f.path) && (!KUSTOMIZATION_FILE.test(f.path) || raw.problems.some((p) => p.loc.file === f))),
    objects: raw.objects.filter((o) => !claimed.has(o.file.path)),
    problems: raw.problems.filter((p) => !claimed.has(p.loc.file.path)),
    counts: new Map([...raw.counts].filter(([p]) => !claimed.has(p))),
  };
  return { views, rest };
}

function emptyLike(raw: RawInput): RawInput {
  return {
    files: [], objects: [], corefiles: [], cniFiles: [], flannelNetConfs: [], kubeletFlagFiles: [], resolvConfs: [],
    binLists: [], snapshotMarkers: [], problems: [], unreadable: [], filesRead: raw.filesRead, counts: new Map(), notices: raw.notices,
  };
}
