/**
 * CNI conf-dir loading, as containerd (go-cni + libcni 1.1.2) and CRI-O (ocicni) do it.
 *
 * Pure logic over an abstract directory listing (`ConfDirEntry[]`), so the linter can feed files from
 * disk (`readConfDirFromDisk`, see cni-fs.ts) or from memory.
 *
 * Semantics (checked against the oracle corpus in /work/shared/corpus/cni-loading):
 * - Candidates: top-level entries that are not directories (lstat) whose last extension is exactly
 *   `.conf`, `.conflist` or `.json` (case-sensitive, Go `filepath.Ext`). Symlinks count by their own
 *   name, even when dangling, looping or pointing at a directory (they then fail to read).
 * - Order: byte order of the UTF-8 names (Go `sort.Strings`).
 * - Parser by name: `.conflist` → `ConfListFromBytes`; `.conf`/`.json` → `ConfFromBytes` + type check +
 *   `ConfListFromConf` (which re-decodes the bytes through a `map[string]interface{}`).
 * - containerd: parse the first `maxConfNum` candidates (0 = all); the first failure fails the whole
 *   load (no network, NetworkReady=false). CRI-O: failures are skipped, the first loaded file is the
 *   default network, empty names fall back to the file's base name, later duplicate names are ignored.
 *
 * Option `subdirPlugins` (off by default, so the loader agrees with the libcni 1.1.2 oracle): what
 * libcni 1.3 and later (containerd 2.x, CRI-O) do for a `.conflist`: the `plugins` key may be left out,
 * `loadOnlyInlinedPlugins` (a boolean, or "true"/"false" in any case) is read, and unless it is true the
 * `.conf` files of the subdirectory named after the network (`<confDir>/<name>/*.conf`, byte order) are
 * appended to the plugins, each parsed as a plugin config (`type` required); a network that ends up
 * with no plugin fails ("no plugin configs found"). Only this is modelled of libcni 1.3: `cniVersions`
 * and "true"/"false" strings for `disableCheck` keep their 1.1.2 meaning. A network name holding a
 * path separator or `..` names a directory outside the listing and contributes no plugin.
 */
import { parseJson, type JsonNode, type JsonObject, type JsonProperty } from "../parsers/json.js";
import { LineIndex } from "../parsers/lines.js";

export type ConfDirEntry =
  | { name: string; kind: "file"; isSymlink?: boolean; read: () => { text: string } | { error: string } }
  /** A real subdirectory (lstat says directory): never a candidate; `list` reads it (subdirPlugins only). */
  | { name: string; kind: "dir"; list?: () => ConfDirEntry[] | { error: string } }
  /** A dangling symlink, a symlink loop or a symlink to a directory: still a candidate, fails to read. */
  | { name: string; kind: "broken"; isSymlink: true; reason: string };

/**
 * A directory listing. `readConfDirFromDisk` marks a conf dir that does not exist (`missing`, which the
 * runtimes treat like an empty dir) and one that cannot be listed (`readError`, go-cni `ErrRead`).
 */
export type ConfDirListing = ConfDirEntry[] & { dir?: string; missing?: boolean; readError?: string };

export type CniRuntime = "containerd" | "cri-o";

export interface CniFileError {
  kind: "read" | "invalid-json" | "invalid-config";
  message: string;
  /** UTF-16 offsets into the file text of the offending key/value (or of the whole object). */
  offset?: number;
  endOffset?: number;
  /** 1-based position of `offset`. */
  line?: number;
  column?: number;
  /** Path of the offending field, e.g. `plugins[1].type`. */
  field?: string;
}

/** One candidate parsed alone, the way the runtime parses it (by name). */
export interface CniFileResult {
  file: string;
  loader: "conflist" | "conf";
  ok: boolean;
  error: null | CniFileError;
  name?: string;
  cniVersion?: string;
  pluginTypes?: string[];
  /** The AST when the JSON parsed, for rules that point at fields. */
  json?: JsonNode;
  /** subdirPlugins: the plugin files appended from `<name>/` (paths relative to the conf dir), in order. */
  subdirPlugins?: string[];
  /** The text that was read, when the read succeeded. */
  text?: string;
  isSymlink?: boolean;
}

export interface CniNetwork {
  file: string;
  name: string;
  cniVersion: string;
  pluginTypes: string[];
}

export interface CniLoadResult {
  runtime: CniRuntime;
  maxConfNum: number;
  /** Runtime order (byte order of UTF-8 names). */
  candidates: string[];
  /** Entries that are not candidates (other extensions, subdirectories), in byte order. */
  ignored: string[];
  /** Every candidate, parsed alone, in candidate order. */
  perFile: CniFileResult[];
  ready: boolean;
  errorKind: null | "invalid-config" | "not-initialized" | "read" | "other";
  /** The file that stops loading (containerd). */
  errorFile: string | null;
  /** Human-readable reason when not ready. */
  errorMessage: string | null;
  /** The eth0, eth1... networks (no loopback). */
  networks: CniNetwork[];
  chosen: null | CniNetwork;
  /** CRI-O: files it skipped, with the reason. */
  skipped?: { file: string; reason: string }[];
}

export interface LoadConfDirOptions {
  runtime?: CniRuntime;
  /** containerd `max_conf_num`; default 1; 0 (or negative) = load every file. Ignored for CRI-O. */
  maxConfNum?: number;
  /** CRI-O `cni_default_network`: choose the default network by name instead of "first loaded". */
  defaultNetwork?: string;
  /** libcni >= 1.3: `.conflist` plugins from `<confDir>/<network name>/*.conf` (see the header). Default false. */
  subdirPlugins?: boolean;
}

export const CNI_CONF_EXTENSIONS = [".conf", ".conflist", ".json"] as const;

// ---------------------------------------------------------------------------------------------
// Names and order
// ---------------------------------------------------------------------------------------------

/** Compare two strings by the bytes of their UTF-8 encoding (Go string order). Lone surrogates count as U+FFFD. */
export function compareGoStrings(a: string, b: string): number {
  const na = a.length;
  const nb = b.length;
  let i = 0;
  let j = 0;
  while (i < na && j < nb) {
    const ca = codePointForUtf8(a, i);
    const cb = codePointForUtf8(b, j);
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  if (i < na) return 1;
  if (j < nb) return -1;
  return 0;
}

function codePointForUtf8(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdfff) return c;
  if (c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return 0xfffd;
}

/** Go `filepath.Ext`: from the last dot of the (slash-free) name, or "". */
export function goExt(name: string): string {
  for (let i = name.length - 1; i >= 0; i--) {
    const c = name[i];
    if (c === ".") return name.slice(i);
    if (c === "/") break;
  }
  return "";
}

export function isCandidateName(name: string): boolean {
  const ext = goExt(name);
  return ext === ".conf" || ext === ".conflist" || ext === ".json";
}

export function loaderFor(name: string): "conflist" | "conf" {
  return name.endsWith(".conflist") ? "conflist" : "conf";
}

// ---------------------------------------------------------------------------------------------
// Go encoding/json decode semantics for types.NetConf
// ---------------------------------------------------------------------------------------------

interface Problem {
  message: string;
  start: number;
  end: number;
  field?: string;
  kind?: "invalid-json" | "invalid-config";
}

class DecodeProblem {
  constructor(readonly problem: Problem) {}
}

function kindName(n: JsonNode): string {
  switch (n.type) {
    case "boolean":
      return "a boolean";
    case "null":
      return "null";
    case "number":
      return `a number (${n.raw})`;
    case "string":
      return "a string";
    case "array":
      return "an array";
    case "object":
      return "an object";
  }
}

/**
 * Go's case-insensitive struct field match (encoding/json fold.go): ASCII letters fold, and the key may
 * use U+017F (long s) for `s` and U+212A (Kelvin sign) for `k`. `field` is ASCII.
 */
export function goFieldMatches(field: string, key: string): boolean {
  if (field === key) return true;
  let j = 0;
  for (let i = 0; i < field.length; i++) {
    if (j >= key.length) return false;
    const f = field.charCodeAt(i);
    const k = key.charCodeAt(j);
    if (k < 0x80) {
      if (f !== k) {
        const fu = f & ~0x20;
        if (!(fu >= 0x41 && fu <= 0x5a) || fu !== (k & ~0x20)) return false;
      }
      j++;
      continue;
    }
    const lf = f | 0x20;
    if (lf === 0x73 /* s */ && k === 0x017f) j++;
    else if (lf === 0x6b /* k */ && k === 0x212a) j++;
    else return false;
  }
  return j === key.length;
}

function findField<T extends string>(fields: readonly T[], key: string): T | undefined {
  for (const f of fields) if (f === key) return f;
  for (const f of fields) if (goFieldMatches(f, key)) return f;
  return undefined;
}

/**
 * The members of an object in the order Go decodes them. `viaMap` = the object went through a
 * `map[string]interface{}` and `json.Marshal` first (conflist plugins, ConfListFromConf): duplicate keys
 * collapse (last wins) and the keys come out sorted by bytes.
 */
function members(obj: JsonObject, viaMap: boolean): JsonProperty[] {
  if (!viaMap) return obj.properties;
  const last = new Map<string, JsonProperty>();
  for (const p of obj.properties) {
    last.delete(p.key);
    last.set(p.key, p);
  }
  return [...last.values()].sort((a, b) => compareGoStrings(a.key, b.key));
}

function lastByKey(obj: JsonObject): Map<string, JsonProperty> {
  const m = new Map<string, JsonProperty>();
  for (const p of obj.properties) m.set(p.key, p);
  return m;
}

function joinField(prefix: string, key: string): string {
  return prefix === "" ? key : `${prefix}.${key}`;
}

function at(node: JsonNode, message: string, field?: string): DecodeProblem {
  return new DecodeProblem({ message, start: node.start, end: node.end, field });
}

const NETCONF_FIELDS = ["cniVersion", "name", "type", "capabilities", "ipam", "dns", "prevResult"] as const;
const IPAM_FIELDS = ["type"] as const;
const DNS_FIELDS = ["nameservers", "domain", "search", "options"] as const;

interface NetConfValues {
  cniVersion: string;
  name: string;
  type: string;
  /** The member that set `type` last (or the last `type`-like member), for positions. */
  typeProp: JsonProperty | null;
}

function expectString(v: JsonNode, field: string): string | null {
  if (v.type === "string") return v.value;
  if (v.type === "null") return null; // Go: null into a string is a no-op
  throw at(v, `'${field}' must be a string, found ${kindName(v)}`, field);
}

/** Decode an object into Go's types.NetConf, throwing DecodeProblem at the first type error. */
function decodeNetConf(obj: JsonObject, viaMap: boolean, prefix: string): NetConfValues {
  const out: NetConfValues = { cniVersion: "", name: "", type: "", typeProp: null };
  for (const p of members(obj, viaMap)) {
    const f = findField(NETCONF_FIELDS, p.key);
    if (f === undefined) continue;
    const v = p.value;
    const field = joinField(prefix, p.key);
    switch (f) {
      case "cniVersion":
      case "name":
      case "type": {
        const s = expectString(v, field);
        if (f === "type") out.typeProp = p;
        if (s !== null) out[f] = s;
        break;
      }
      case "capabilities":
        if (v.type === "null") break;
        if (v.type !== "object") throw at(v, `'${field}' must be an object of booleans, found ${kindName(v)}`, field);
        for (const q of members(v, viaMap)) {
          if (q.value.type !== "boolean" && q.value.type !== "null") {
            const qf = joinField(field, q.key);
            throw at(q.value, `'${qf}' must be a boolean, found ${kindName(q.value)}`, qf);
          }
        }
        break;
      case "ipam":
        if (v.type === "null") break;
        if (v.type !== "object") throw at(v, `'${field}' must be an object, found ${kindName(v)}`, field);
        for (const q of members(v, viaMap)) {
          if (findField(IPAM_FIELDS, q.key) !== undefined) expectString(q.value, joinField(field, q.key));
        }
        break;
      case "dns":
        if (v.type === "null") break;
        if (v.type !== "object") throw at(v, `'${field}' must be an object, found ${kindName(v)}`, field);
        for (const q of members(v, viaMap)) {
          const df = findField(DNS_FIELDS, q.key);
          if (df === undefined) continue;
          const qf = joinField(field, q.key);
          if (df === "domain") {
            expectString(q.value, qf);
            continue;
          }
          const arr = q.value;
          if (arr.type === "null") continue;
          if (arr.type !== "array") throw at(arr, `'${qf}' must be an array of strings, found ${kindName(arr)}`, qf);
          arr.items.forEach((item, k) => expectString(item, `${qf}[${k}]`));
        }
        break;
      case "prevResult":
        if (v.type !== "null" && v.type !== "object") {
          throw at(v, `'${field}' must be an object, found ${kindName(v)}`, field);
        }
        break;
    }
  }
  return out;
}

/** Go decodes every number it puts into an interface{} as float64: a literal beyond float64 range fails. */
function findOverflow(root: JsonNode): JsonNode | null {
  const work: JsonNode[] = [root];
  for (let n = work.pop(); n !== undefined; n = work.pop()) {
    if (n.type === "number") {
      if (!Number.isFinite(n.value)) return n;
    } else if (n.type === "array") {
      for (let k = n.items.length - 1; k >= 0; k--) work.push(n.items[k]!);
    } else if (n.type === "object") {
      for (let k = n.properties.length - 1; k >= 0; k--) work.push(n.properties[k]!.value);
    }
  }
  return null;
}

function overflowProblem(n: JsonNode): DecodeProblem {
  const raw = n.type === "number" ? n.raw : "";
  return new DecodeProblem({
    message: `number ${raw} is out of range for a float64 (Go: cannot unmarshal number ${raw} into Go value of type float64)`,
    start: n.start,
    end: n.end,
  });
}

function hasKeyLike(obj: JsonObject, key: string): JsonProperty | undefined {
  let found: JsonProperty | undefined;
  for (const p of obj.properties) if (p.key === key || p.key.toLowerCase() === key.toLowerCase()) found = p;
  return found;
}

interface Parsed {
  name: string;
  cniVersion: string;
  pluginTypes: string[];
}

/** libcni ConfListFromBytes (1.1.2). */
function decodeConfList(root: JsonNode, subdirPlugins = false): Parsed {
  const overflow = findOverflow(root);
  if (overflow) throw overflowProblem(overflow);
  if (root.type === "null") {
    throw at(root, "the file is JSON null; a .conflist must be an object with 'name' and 'plugins' (libcni: no name)");
  }
  if (root.type !== "object") {
    throw at(root, `a .conflist must hold one JSON object, found ${kindName(root)}`);
  }
  const top = lastByKey(root);
  const nameP = top.get("name");
  if (nameP === undefined) {
    const like = hasKeyLike(root, "name");
    const hint = like ? ` (keys are case-sensitive here: found '${like.key}')` : "";
    throw new DecodeProblem({
      message: `missing 'name'${hint}`,
      start: root.start,
      end: root.end,
      field: "name",
    });
  }
  if (nameP.value.type !== "string") {
    throw at(nameP.value, `'name' must be a string, found ${kindName(nameP.value)}`, "name");
  }
  const name = nameP.value.value;
  let cniVersion = "";
  const verP = top.get("cniVersion");
  if (verP !== undefined) {
    if (verP.value.type !== "string") {
      throw at(verP.value, `'cniVersion' must be a string, found ${kindName(verP.value)}`, "cniVersion");
    }
    cniVersion = verP.value.value;
  }
  const dcP = top.get("disableCheck");
  if (dcP !== undefined && dcP.value.type !== "boolean") {
    throw at(dcP.value, `'disableCheck' must be true or false, found ${kindName(dcP.value)}`, "disableCheck");
  }
  const plP = top.get("plugins");
  let loadOnlyInlinedPlugins = false;
  if (subdirPlugins) {
    const lo = top.get("loadOnlyInlinedPlugins");
    if (lo !== undefined) {
      const v = lo.value;
      const s = v.type === "string" ? v.value.toLowerCase() : null;
      if (v.type === "boolean") loadOnlyInlinedPlugins = v.value;
      else if (s === "true" || s === "false") loadOnlyInlinedPlugins = s === "true";
      else throw at(v, `'loadOnlyInlinedPlugins' must be true or false, found ${kindName(v)}`, "loadOnlyInlinedPlugins");
    }
    if (plP === undefined) {
      if (loadOnlyInlinedPlugins) {
        throw new DecodeProblem({ message: "`loadOnlyInlinedPlugins` is true, and no 'plugins' key", start: root.start, end: root.end, field: "plugins" });
      }
      return { name, cniVersion, pluginTypes: [] };
    }
  }
  if (plP === undefined) {
    const like = hasKeyLike(root, "plugins");
    let hint = "";
    if (like) hint = ` (keys are case-sensitive here: found '${like.key}')`;
    else if (findTypeLike(root)) hint = "; this looks like a single plugin config: name the file .conf, or wrap it in a 'plugins' list";
    throw new DecodeProblem({ message: `no 'plugins' key${hint}`, start: root.start, end: root.end, field: "plugins" });
  }
  const plugins = plP.value;
  if (plugins.type !== "array") {
    throw at(plugins, `'plugins' must be an array of plugin objects, found ${kindName(plugins)}`, "plugins");
  }
  if (plugins.items.length === 0) throw at(plugins, "'plugins' is empty (no plugins in list)", "plugins");
  const pluginTypes: string[] = [];
  plugins.items.forEach((item, i) => {
    const prefix = `plugins[${i}]`;
    if (item.type === "null") throw at(item, `${prefix}: missing 'type' (the plugin is null)`, prefix);
    if (item.type !== "object") throw at(item, `${prefix} must be a plugin object, found ${kindName(item)}`, prefix);
    const v = decodeNetConf(item, true, prefix);
    if (v.type === "") throw missingType(item, v, prefix);
    pluginTypes.push(v.type);
  });
  return { name, cniVersion, pluginTypes };
}

function findTypeLike(obj: JsonObject): JsonProperty | undefined {
  let found: JsonProperty | undefined;
  for (const p of obj.properties) if (goFieldMatches("type", p.key)) found = p;
  return found;
}

function missingType(obj: JsonObject, v: NetConfValues, prefix: string, extra = ""): DecodeProblem {
  const field = joinField(prefix, v.typeProp?.key ?? "type");
  const where = prefix === "" ? "" : `${prefix}: `;
  if (v.typeProp && (v.typeProp.value.type === "string" || v.typeProp.value.type === "null")) {
    const what = v.typeProp.value.type === "null" ? "null" : "empty";
    return at(v.typeProp.value, `${where}missing 'type' ('${v.typeProp.key}' is ${what})${extra}`, field);
  }
  return new DecodeProblem({ message: `${where}missing 'type'${extra}`, start: obj.start, end: obj.end, field });
}

/** libcni ConfFromBytes + go-cni's type check + ConfListFromConf (1.1.2). */
function decodeConf(root: JsonNode): Parsed {
  if (root.type !== "object" && root.type !== "null") {
    throw at(root, `a .conf/.json file must hold one JSON object (a plugin config), found ${kindName(root)}`);
  }
  if (root.type === "null") throw at(root, "missing 'type' (the file is JSON null)", "type");
  // Pass 1: ConfFromBytes decodes the bytes into types.NetConf, in document order.
  const first = decodeNetConf(root, false, "");
  if (first.type === "") {
    const plugins = hasKeyLike(root, "plugins");
    const extra = plugins
      ? `; the file holds a '${plugins.key}' list, so it is a network list: name it .conflist`
      : "";
    throw missingType(root, first, "", extra);
  }
  // Pass 2: ConfListFromConf re-decodes the bytes through a map (float64 numbers, last key wins,
  // sorted keys) and parses the result again as a one-plugin list.
  const overflow = findOverflow(root);
  if (overflow) throw overflowProblem(overflow);
  const second = decodeNetConf(root, true, "");
  if (second.type === "") {
    throw missingType(root, second, "", " (after duplicate keys collapse, the last one wins)");
  }
  return { name: first.name, cniVersion: first.cniVersion, pluginTypes: [second.type] };
}

/** A short explanation of common causes of a JSON syntax error at `offset`. */
function syntaxHint(text: string, offset: number): string {
  const c = text[offset];
  if (c === "\ufeff") return " (a UTF-8 byte-order mark: Go does not skip it; save the file without a BOM)";
  if (text.includes("\u0000") && /^(\ufffd\ufffd|\u0000|[^\u0000]\u0000)/.test(text.slice(0, 2))) {
    return " (the file looks UTF-16 encoded; it must be UTF-8)";
  }
  if (c === "/" && (text[offset + 1] === "/" || text[offset + 1] === "*")) return " (comments are not allowed in JSON)";
  if (c === "'") return " (JSON strings use double quotes)";
  if (c === "}" || c === "]") {
    let k = offset - 1;
    while (k >= 0 && (text[k] === " " || text[k] === "\t" || text[k] === "\n" || text[k] === "\r")) k--;
    if (text[k] === ",") return " (trailing comma)";
  }
  if (offset >= text.length && text.trim() === "") return " (the file is empty)";
  if (offset >= text.length) return " (the file is truncated)";
  return "";
}

/** Parse one candidate's text the way the runtime does (by file name). */
export function parseCniFile(file: string, text: string, lines?: LineIndex, opts: { subdirPlugins?: boolean } = {}): CniFileResult {
  const loader = loaderFor(file);
  const parsed = parseJson(text);
  if (parsed.error) {
    const e = parsed.error;
    const what = loader === "conflist" ? "configuration list" : "configuration";
    return {
      file,
      loader,
      ok: false,
      text,
      error: {
        kind: "invalid-json",
        message: `${file}: invalid JSON (error parsing ${what}): ${e.message}${syntaxHint(text, e.offset)}`,
        offset: e.offset,
        endOffset: Math.min(e.offset + 1, text.length),
        line: e.line,
        column: e.column,
      },
    };
  }
  const json = parsed.value!;
  try {
    const r = loader === "conflist" ? decodeConfList(json, opts.subdirPlugins === true) : decodeConf(json);
    return { file, loader, ok: true, error: null, name: r.name, cniVersion: r.cniVersion, pluginTypes: r.pluginTypes, json, text };
  } catch (e) {
    if (!(e instanceof DecodeProblem)) throw e;
    const p = e.problem;
    const idx = lines ?? new LineIndex(text);
    const { line, column } = idx.position(p.start);
    const error: CniFileError = {
      kind: p.kind ?? "invalid-config",
      message: `${file}: ${p.message}`,
      offset: p.start,
      endOffset: p.end,
      line,
      column,
    };
    if (p.field !== undefined) error.field = p.field;
    return { file, loader, ok: false, error, json, text };
  }
}

function readEntry(entry: ConfDirEntry, opts: { subdirPlugins?: boolean } = {}): CniFileResult {
  const loader = loaderFor(entry.name);
  if (entry.kind === "broken") {
    return {
      file: entry.name,
      loader,
      ok: false,
      isSymlink: true,
      error: { kind: "read", message: `${entry.name}: cannot read the file: ${entry.reason}` },
    };
  }
  if (entry.kind !== "file") throw new Error("not a candidate");
  let r: { text: string } | { error: string };
  try {
    r = entry.read();
  } catch (e) {
    r = { error: e instanceof Error ? e.message : String(e) };
  }
  if ("error" in r) {
    const res: CniFileResult = {
      file: entry.name,
      loader,
      ok: false,
      error: { kind: "read", message: `${entry.name}: cannot read the file: ${r.error}` },
    };
    if (entry.isSymlink) res.isSymlink = true;
    return res;
  }
  const res = parseCniFile(entry.name, r.text, undefined, opts);
  if (entry.isSymlink) res.isSymlink = true;
  return res;
}

function readText(entry: ConfDirEntry): { text: string } | { error: string } {
  if (entry.kind === "broken") return { error: entry.reason };
  if (entry.kind !== "file") return { error: "read: is a directory" };
  try {
    return entry.read();
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * libcni >= 1.3 `NetworkConfFromFile`: unless `loadOnlyInlinedPlugins`, append the plugin configs of
 * `<confDir>/<network name>/*.conf` (libcni `NetworkPluginConfsFromFiles`); no plugin at all fails.
 */
function withSubdirPlugins(r: CniFileResult, entries: readonly ConfDirEntry[]): CniFileResult {
  if (r.loader !== "conflist" || !r.ok || r.json?.type !== "object") return r;
  const top = lastByKey(r.json);
  const lo = top.get("loadOnlyInlinedPlugins")?.value;
  if (lo && (lo.type === "boolean" ? lo.value : lo.type === "string" && lo.value.toLowerCase() === "true")) return r;
  const nameNode = top.get("name")?.value ?? r.json;
  const fail = (message: string): CniFileResult => {
    const { line, column } = new LineIndex(r.text ?? "").position(nameNode.start);
    return { ...r, ok: false, error: { kind: "invalid-config", message: `${r.file}: ${message}`, offset: nameNode.start, endOffset: nameNode.end, line, column, field: "name" } };
  };
  const name = r.name ?? "";
  let listing: readonly ConfDirEntry[] | null = null;
  let prefix = `${name}/`;
  if (name === "" || name === ".") {
    // filepath.Join(dir, "") is the conf dir itself.
    listing = entries;
    prefix = "";
  } else if (!name.includes("/") && name !== "..") {
    const sub = entries.find((e) => e.name === name);
    if (sub?.kind === "file") return fail(`failed to read plugin config files in ${name}: not a directory`);
    if (sub?.kind === "dir" && sub.list) {
      const l = sub.list();
      if ("error" in l) return fail(`failed to read plugin config files in ${name}: ${l.error}`);
      listing = l;
    }
  }
  const files = (listing ?? []).filter((e) => e.kind !== "dir" && goExt(e.name) === ".conf").sort((a, b) => compareGoStrings(a.name, b.name));
  const pluginTypes = [...(r.pluginTypes ?? [])];
  const added: string[] = [];
  for (const f of files) {
    const where = `${prefix}${f.name}`;
    const content = readText(f);
    if ("error" in content) return fail(`error reading ${where}: ${content.error}`);
    const parsed = parseJson(content.text);
    if (parsed.error || !parsed.value) return fail(`${where}: error parsing configuration: ${parsed.error?.message ?? "invalid JSON"}`);
    const root = parsed.value;
    if (root.type !== "object" && root.type !== "null") return fail(`${where}: error parsing configuration: a plugin config must be a JSON object, found ${kindName(root)}`);
    try {
      const v = root.type === "object" ? decodeNetConf(root, false, "") : { type: "" };
      if (v.type === "") return fail(`${where}: error parsing configuration: missing 'type'`);
      pluginTypes.push(v.type);
      added.push(where);
    } catch (e) {
      if (!(e instanceof DecodeProblem)) throw e;
      return fail(`${where}: error parsing configuration: ${e.problem.message}`);
    }
  }
  if (pluginTypes.length === 0) return fail(`no plugin configs found (no 'plugins' key, and ${name === "" ? "the conf dir" : `${prefix}`} holds no .conf plugin config)`);
  return { ...r, pluginTypes, subdirPlugins: added };
}

function networkOf(r: CniFileResult): CniNetwork {
  return { file: r.file, name: r.name ?? "", cniVersion: r.cniVersion ?? "", pluginTypes: [...(r.pluginTypes ?? [])] };
}

/** Work out what the runtime loads from a conf dir. */
export function loadConfDir(entries: ConfDirEntry[] | ConfDirListing, opts: LoadConfDirOptions = {}): CniLoadResult {
  const runtime: CniRuntime = opts.runtime ?? "containerd";
  const maxConfNum = runtime === "containerd" ? (opts.maxConfNum ?? 1) : 0;
  const listing = entries as ConfDirListing;

  const cands: ConfDirEntry[] = [];
  const ignored: string[] = [];
  for (const e of entries) {
    if (e.kind !== "dir" && isCandidateName(e.name)) cands.push(e);
    else ignored.push(e.name);
  }
  cands.sort((a, b) => compareGoStrings(a.name, b.name));
  ignored.sort(compareGoStrings);
  const candidates = cands.map((e) => e.name);
  const perFile = cands.map((e) => (opts.subdirPlugins ? withSubdirPlugins(readEntry(e, opts), entries) : readEntry(e)));

  const result: CniLoadResult = {
    runtime,
    maxConfNum,
    candidates,
    ignored,
    perFile,
    ready: false,
    errorKind: null,
    errorFile: null,
    errorMessage: null,
    networks: [],
    chosen: null,
  };
  if (runtime === "cri-o") result.skipped = [];

  if (listing.readError !== undefined) {
    result.errorKind = "read";
    result.errorMessage = `cannot list the CNI conf dir: ${listing.readError}`;
    return result;
  }
  if (candidates.length === 0) {
    result.errorKind = "not-initialized";
    result.errorMessage = listing.missing
      ? "the CNI conf dir does not exist: no network config found, cni plugin not initialized"
      : "no network config found (no .conf, .conflist or .json file): cni plugin not initialized";
    return result;
  }

  if (runtime === "containerd") {
    for (const r of perFile) {
      if (!r.ok) {
        // go-cni fails the whole Load(); containerd keeps only the loopback network.
        result.networks = [];
        result.errorKind = "invalid-config";
        result.errorFile = r.file;
        result.errorMessage = r.error?.message ?? `${r.file}: invalid`;
        return result;
      }
      result.networks.push(networkOf(r));
      if (result.networks.length === maxConfNum) break;
    }
  } else {
    const seen = new Set<string>();
    for (const r of perFile) {
      if (!r.ok) {
        result.skipped!.push({ file: r.file, reason: r.error?.message ?? "invalid" });
        continue;
      }
      const net = networkOf(r);
      if (net.name === "") net.name = r.file; // ocicni: path.Base(confFile)
      if (seen.has(net.name)) {
        result.skipped!.push({ file: r.file, reason: `network name '${net.name}' already loaded from an earlier file` });
        continue;
      }
      seen.add(net.name);
      result.networks.push(net);
    }
    if (opts.defaultNetwork !== undefined && opts.defaultNetwork !== "") {
      result.chosen = result.networks.find((n) => n.name === opts.defaultNetwork) ?? null;
      if (!result.chosen) {
        result.errorKind = "not-initialized";
        result.errorMessage = `default network '${opts.defaultNetwork}' was not loaded from any file`;
        return result;
      }
      result.ready = true;
      return result;
    }
    if (result.networks.length === 0) {
      result.errorKind = "not-initialized";
      result.errorMessage = "no file in the CNI conf dir loaded: cni plugin not initialized";
      return result;
    }
  }
  result.chosen = result.networks[0] ?? null;
  result.ready = result.chosen !== null;
  return result;
}

export { readConfDirFromDisk } from "./cni-fs.js";
