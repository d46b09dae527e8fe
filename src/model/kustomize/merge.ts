/**
 * kustomize's patches on plain values, remembering for every path which document supplied the value,
 * and the merged object as a K8sObject whose positions (locate, rangeAt, stringSource) point into
 * that document: the patch for what the patch sets, the base for the rest.
 *
 * Strategic merge (sigs.k8s.io/kustomize/kyaml/yaml/merge2 with the Kubernetes patch strategies):
 * maps merge recursively, `null` deletes a key, `$patch: delete` drops the object or list item,
 * `$patch: replace` replaces the map; the lists of containers, initContainers, volumes,
 * volumeMounts and env merge by `name`; other lists (args, command, ports) are replaced. A
 * ConfigMap's data keys are map entries: each one the patch names replaces the base's.
 * JSON 6902 (RFC 6902): add, replace and remove at a JSON pointer; other ops are not applied.
 */
import { hasPath } from "../objects.js";
import type { PathSegment } from "../../parsers/yaml.js";
import type { K8sObject, Loc, SourceFile } from "../types.js";

/** A document with positions for paths in its own value: a K8sObject, or a patch document. */
export interface Located {
  file: SourceFile;
  rangeAt(path: readonly PathSegment[], part?: "value" | "key"): Loc | undefined;
  stringSource: K8sObject["stringSource"];
}

/** Which document, at which of its paths, supplied a value; children where parts came from elsewhere. */
export interface Prov {
  at: Located;
  path: readonly PathSegment[];
  children?: Map<PathSegment, Prov>;
}

/** Lists merged by the `name` of their items (the patchMergeKey of the pod template fields the rules read). */
const MERGE_BY_NAME = new Set(["containers", "initContainers", "ephemeralContainers", "volumes", "volumeMounts", "env"]);

type Plain = Record<string, unknown>;
const isMap = (v: unknown): v is Plain => v !== null && typeof v === "object" && !Array.isArray(v);

export const leaf = (at: Located, path: readonly PathSegment[]): Prov => ({ at, path });

/** The document and path that supplied the value at `path`. */
export function resolve(prov: Prov, path: readonly PathSegment[]): { at: Located; path: PathSegment[] } {
  let node = prov;
  for (let i = 0; i < path.length; i++) {
    const child = node.children?.get(path[i]!);
    if (!child) return { at: node.at, path: [...node.path, ...path.slice(i)] };
    node = child;
  }
  return { at: node.at, path: [...node.path] };
}

/** Strategic merge of `patch` (at `ppath` of document `pat`) onto `base`. `undefined` = deleted. */
export function strategicMerge(base: unknown, bprov: Prov, patch: unknown, pat: Located, ppath: PathSegment[], field: string | null = null): [unknown, Prov] {
  if (isMap(base) && isMap(patch)) {
    if (patch.$patch === "delete") return [undefined, leaf(pat, ppath)];
    if (patch.$patch === "replace") {
      const { $patch: _drop, ...rest } = patch;
      return [rest, leaf(pat, ppath)];
    }
    const out: Plain = { ...base };
    const children = new Map(bprov.children ?? []);
    for (const [k, pv] of Object.entries(patch)) {
      if (k.startsWith("$")) continue;
      if (pv === null) {
        delete out[k];
        children.delete(k);
        continue;
      }
      if (k in base) {
        const [v, p] = strategicMerge(base[k], childProv(bprov, k), pv, pat, [...ppath, k], k);
        if (v === undefined) {
          delete out[k];
          children.delete(k);
        } else {
          out[k] = v;
          children.set(k, p);
        }
      } else {
        out[k] = pv;
        children.set(k, leaf(pat, [...ppath, k]));
      }
    }
    // The map's own keys are found in the patch where it names them, else in the base.
    return [out, { at: bprov.at, path: bprov.path, children }];
  }
  if (Array.isArray(base) && Array.isArray(patch) && field && MERGE_BY_NAME.has(field) && [...base, ...patch].every((x) => isMap(x) && typeof x.name === "string")) {
    const out: unknown[] = [...base];
    const provs: Prov[] = base.map((_, i) => childProv(bprov, i));
    patch.forEach((item, j) => {
      const p = item as Plain;
      const i = out.findIndex((x) => (x as Plain).name === p.name);
      if (p.$patch === "delete") {
        if (i >= 0) {
          out.splice(i, 1);
          provs.splice(i, 1);
        }
        return;
      }
      if (i < 0) {
        out.push(item);
        provs.push(leaf(pat, [...ppath, j]));
        return;
      }
      const [v, pr] = strategicMerge(out[i], provs[i]!, item, pat, [...ppath, j]);
      out[i] = v;
      provs[i] = pr;
    });
    return [out, { at: bprov.at, path: bprov.path, children: new Map(provs.map((p, i) => [i, p])) }];
  }
  return [patch, leaf(pat, ppath)];
}

function childProv(p: Prov, seg: PathSegment): Prov {
  return p.children?.get(seg) ?? leaf(p.at, [...p.path, seg]);
}

/** RFC 6901 pointer to path segments ("~1" is "/", "~0" is "~"). */
export function pointer(ptr: string): string[] | null {
  if (ptr === "") return [];
  if (!ptr.startsWith("/")) return null;
  return ptr.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * One JSON 6902 operation (`op`, `path`, `value` at `opPath` of document `at`) on a value. Returns
 * null when the operation does not apply (kustomize would fail the build: nothing is guessed).
 */
export function jsonPatchOp(value: Plain, prov: Prov, op: Plain, at: Located, opPath: PathSegment[]): [Plain, Prov] | null {
  const segs = typeof op.path === "string" ? pointer(op.path) : null;
  if (!segs || segs.length === 0 || (op.op !== "add" && op.op !== "replace" && op.op !== "remove")) return null;
  const valueProv = leaf(at, [...opPath, "value"]);
  const apply = (node: unknown, p: Prov, i: number): [unknown, Prov] | null => {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    if (Array.isArray(node)) {
      const idx = seg === "-" ? node.length : /^\d+$/.test(seg) ? Number(seg) : -1;
      if (idx < 0 || idx > node.length || (idx === node.length && (!last || op.op !== "add"))) return null;
      const out = [...node];
      const provs = node.map((_, k) => childProv(p, k));
      if (last) {
        if (op.op === "add") {
          out.splice(idx, 0, op.value);
          provs.splice(idx, 0, valueProv);
        } else if (op.op === "replace") {
          out[idx] = op.value;
          provs[idx] = valueProv;
        } else {
          out.splice(idx, 1);
          provs.splice(idx, 1);
        }
      } else {
        const r = apply(node[idx], provs[idx]!, i + 1);
        if (!r) return null;
        [out[idx], provs[idx]] = r;
      }
      return [out, { at: p.at, path: p.path, children: new Map(provs.map((x, k) => [k, x])) }];
    }
    if (!isMap(node)) return null;
    const out: Plain = { ...node };
    const children = new Map(p.children ?? []);
    if (last) {
      if (op.op === "remove" || op.op === "replace") {
        if (!(seg in node)) return null;
      }
      if (op.op === "remove") {
        delete out[seg];
        children.delete(seg);
      } else {
        out[seg] = op.value;
        children.set(seg, valueProv);
      }
    } else {
      if (!(seg in node)) return null;
      const r = apply(node[seg], childProv(p, seg), i + 1);
      if (!r) return null;
      out[seg] = r[0];
      children.set(seg, r[1]);
    }
    return [out, { at: p.at, path: p.path, children }];
  };
  const r = apply(value, prov, 0);
  return r ? [r[0] as Plain, r[1]] : null;
}

/** The merged object: its value, and every position from the document that supplied it. */
export function mergedObject(base: K8sObject, value: Plain, prov: Prov): K8sObject {
  const m = (value.metadata ?? {}) as Plain;
  const rangeAt = (path: readonly PathSegment[], part: "value" | "key" = "value"): Loc | undefined => {
    if (!hasPath(value, path)) return undefined;
    const src = resolve(prov, path);
    return src.at.rangeAt(src.path, part);
  };
  const object: K8sObject = {
    kind: typeof value.kind === "string" ? value.kind : "",
    apiVersion: typeof value.apiVersion === "string" ? value.apiVersion : "",
    name: typeof m.name === "string" ? m.name : "",
    namespace: typeof m.namespace === "string" ? m.namespace : "",
    value,
    file: base.file,
    get loc() {
      return base.loc;
    },
    rangeAt,
    locate(path, part = "value") {
      for (let n = path.length; n > 0; n--) {
        const l = rangeAt(path.slice(0, n), n === path.length ? part : "key");
        if (l) return l;
      }
      return base.rangeAt(["kind"]) ?? base.loc;
    },
    stringSource(path) {
      if (!hasPath(value, path)) return undefined;
      const src = resolve(prov, path);
      const s = src.at.stringSource(src.path);
      return s ? { ...s, file: s.file ?? src.at.file } : undefined;
    },
  };
  if (base.node) object.node = base.node;
  return object;
}
