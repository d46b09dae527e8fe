/** Kubernetes objects from YAML documents and JSON values, with positions in the file on disk. */
import type { JsonNode } from "../parsers/json.js";
import { mapStringToSource } from "../parsers/string-map.js";
import { fastRange, yamlRange, yamlScalarAt, type ParsedYamlDocument, type PathSegment } from "../parsers/yaml.js";
import type { K8sObject, Loc, SourceFile } from "./types.js";

function meta(value: Record<string, unknown>) {
  const m = (value.metadata ?? {}) as Record<string, unknown>;
  return {
    kind: typeof value.kind === "string" ? value.kind : "",
    apiVersion: typeof value.apiVersion === "string" ? value.apiVersion : "",
    name: typeof m.name === "string" ? m.name : "",
    namespace: typeof m.namespace === "string" ? m.namespace : "",
  };
}

type RangeFn = (path: readonly PathSegment[], part: "value" | "key") => [number, number] | undefined;
type StringFn = (path: readonly PathSegment[]) => { offsets: Int32Array; exact: boolean; value: string } | undefined;

/**
 * Whether the plain value has something at `path` (a YAML document has a range there exactly when
 * it does). Own keys of mappings and in-range numbers of sequences only, as yamlRange walks:
 * getPath would also find an array's `length` or an object's `toString`.
 */
export function hasPath(value: unknown, path: readonly PathSegment[]): boolean {
  let v = value;
  for (const seg of path) {
    if (Array.isArray(v)) {
      if (typeof seg !== "number" || seg < 0 || seg >= v.length) return false;
      v = v[seg];
    } else if (v !== null && typeof v === "object" && Object.hasOwn(v, seg)) {
      v = (v as Record<string, unknown>)[seg];
    } else return false;
  }
  return true;
}

/**
 * `whole` is asked for only when something reads the object's `loc`. With `lazy`, positions are
 * computed when a Loc's start or end is read, not when it is made: a YAML document taken by the fast
 * path is parsed again for positions only if a finding, a fact or a Corefile needs one. Whether a
 * path has a range is then answered from the value. `quick` gives, when it can, the range at once
 * and for nothing (a key or a scalar of a fast-path tree): a plain Loc, no closures and getters made
 * for a Loc that is read at once (a finding's).
 */
function makeObject(file: SourceFile, value: Record<string, unknown>, whole: () => [number, number], range: RangeFn, stringSource: StringFn, node?: string, lazy = false, quick?: RangeFn): K8sObject {
  const loc = (r: () => [number, number]): Loc => {
    if (!lazy) {
      const [start, end] = r();
      return { file, start, end };
    }
    let known: [number, number] | undefined;
    const get = () => (known ??= r());
    return {
      file,
      get start() {
        return get()[0];
      },
      get end() {
        return get()[1];
      },
    };
  };
  const at = (path: readonly PathSegment[], part: "value" | "key"): Loc | undefined => {
    if (!lazy) {
      const r = range(path, part);
      return r ? loc(() => r) : undefined;
    }
    const q = quick?.(path, part);
    if (q) return { file, start: q[0], end: q[1] };
    return hasPath(value, path) ? loc(() => range(path, part) ?? whole()) : undefined;
  };
  let wholeLoc: Loc | undefined;
  const object: K8sObject = {
    ...meta(value),
    value,
    file,
    get loc() {
      return (wholeLoc ??= loc(whole));
    },
    rangeAt: (path, part = "value") => at(path, part),
    locate(path, part = "value") {
      for (let n = path.length; n > 0; n--) {
        const l = at(path.slice(0, n), n === path.length ? part : "key");
        if (l) return l;
      }
      return object.rangeAt(["kind"]) ?? object.loc;
    },
    stringSource,
  };
  if (node) object.node = node;
  return object;
}

export function objectFromYaml(file: SourceFile, parsed: ParsedYamlDocument, node?: string): K8sObject | null {
  const value = parsed.value;
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  return makeObject(
    file,
    value as Record<string, unknown>,
    () => documentRange(parsed),
    (path, part) => yamlRange(parsed, path, part),
    (path) => {
      const s = yamlScalarAt(parsed, path);
      if (!s) return undefined;
      const map = mapStringToSource(file.text, s.start, s.end, s.type, s.value);
      return { ...map, value: s.value };
    },
    node,
    parsed.positionsOnDemand === true,
    parsed.fast ? (path, part) => fastRange(parsed, path, part) : undefined,
  );
}

/** The range of a YAML document's content (the whole slice when the document has none). */
export function documentRange(parsed: ParsedYamlDocument): [number, number] {
  const range = (parsed.document?.contents as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? [parsed.slice.start + range[0], parsed.slice.start + range[1]] : [parsed.slice.start, parsed.slice.end];
}

/** Descend a JSON AST along a path. */
export function jsonChild(node: JsonNode | undefined, seg: PathSegment): { node: JsonNode; keyStart: number; keyEnd: number } | undefined {
  if (!node) return undefined;
  if (node.type === "object") {
    // Go's encoding/json: the last duplicate wins.
    for (let i = node.properties.length - 1; i >= 0; i--) {
      const p = node.properties[i]!;
      if (p.key === String(seg)) return { node: p.value, keyStart: p.keyStart, keyEnd: p.keyEnd };
    }
    return undefined;
  }
  if (node.type === "array" && typeof seg === "number") {
    const item = node.items[seg];
    return item ? { node: item, keyStart: item.start, keyEnd: item.end } : undefined;
  }
  return undefined;
}

/** The node at a path of a JSON AST, if there is one. */
export function jsonNodeAt(root: JsonNode, path: readonly PathSegment[]): JsonNode | undefined {
  let n: JsonNode | undefined = root;
  for (const seg of path) n = jsonChild(n, seg)?.node;
  return n;
}

export function jsonRange(root: JsonNode, path: readonly PathSegment[], part: "value" | "key" = "value"): [number, number] | undefined {
  let node: JsonNode | undefined = root;
  let key: [number, number] | undefined;
  for (const seg of path) {
    const c = jsonChild(node, seg);
    if (!c) return undefined;
    node = c.node;
    key = [c.keyStart, c.keyEnd];
  }
  if (!node) return undefined;
  return part === "key" && key ? key : [node.start, node.end];
}

export function objectFromJson(file: SourceFile, root: JsonNode, value: Record<string, unknown>, node?: string): K8sObject {
  return makeObject(
    file,
    value,
    () => [root.start, root.end],
    (path, part) => jsonRange(root, path, part),
    (path) => {
      const n = jsonNodeAt(root, path);
      if (!n || n.type !== "string") return undefined;
      const map = mapStringToSource(file.text, n.start, n.end, "JSON", n.value);
      return { ...map, value: n.value };
    },
    node,
  );
}

/** A document held in a string field of another object (a ConfigMap key): its text and where each offset is in the file. */
export interface EmbeddedText {
  host: K8sObject;
  /** The file the text is in (the host's, or the kustomize patch's that supplied it). */
  file: SourceFile;
  path: readonly PathSegment[];
  text: string;
  toFile(offset: number): number;
}

export function embeddedText(host: K8sObject, path: readonly PathSegment[]): EmbeddedText | undefined {
  const s = host.stringSource(path);
  if (!s) return undefined;
  const { offsets } = s;
  return {
    host,
    file: s.file ?? host.file,
    path,
    text: s.value,
    toFile: (offset) => offsets[Math.max(0, Math.min(offset, offsets.length - 1))]!,
  };
}

/** Wrap an embedded document's ranges so that they point into the host's file. */
export function objectFromEmbedded(
  embedded: EmbeddedText,
  value: Record<string, unknown>,
  whole: () => [number, number],
  range: RangeFn,
  innerString: (path: readonly PathSegment[]) => { start: number; end: number; type: string; value: string } | undefined,
  lazy = false,
): K8sObject {
  const { host } = embedded;
  const mapRange = (r: [number, number]): [number, number] => {
    const start = embedded.toFile(r[0]);
    const end = Math.max(start, embedded.toFile(Math.max(r[0], r[1] - 1)) + 1);
    return [start, end];
  };
  const obj = makeObject(
    embedded.file,
    value,
    () => mapRange(whole()),
    (path, part) => {
      const r = range(path, part);
      return r ? mapRange(r) : undefined;
    },
    (path) => {
      const s = innerString(path);
      if (!s) return undefined;
      const inner = mapStringToSource(embedded.text, s.start, s.end, s.type, s.value);
      const offsets = new Int32Array(inner.offsets.length);
      for (let i = 0; i < offsets.length; i++) offsets[i] = embedded.toFile(inner.offsets[i]!);
      return { offsets, exact: inner.exact, value: s.value };
    },
    host.node,
    lazy,
  );
  return obj;
}
