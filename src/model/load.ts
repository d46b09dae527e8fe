/** Read and parse every discovered file into raw artifacts (no joins yet). Never throws on bad input. */
import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync } from "node:fs";
import { LineIndex } from "../parsers/lines.js";
import { parseJson, toPlain, type JsonNode } from "../parsers/json.js";
import { parseYamlDocument, splitYamlDocuments } from "../parsers/yaml.js";
import { MAX_WORDS, parseEnvFile, parseFlags, parseSystemdUnit, splitWords, type Flag } from "../parsers/flags.js";
import { parseResolvConf } from "../parsers/resolv-conf.js";
import { classifyFile, isRelevantKind, looksLikeCniConfig, looksLikeFlannelNetConf, scanDocument } from "./classify.js";
import { objectFromJson, objectFromYaml } from "./objects.js";
import { isObservedListKind } from "./observed/kinds.js";
import { leadsOutside, type ReadPolicy } from "./read-policy.js";
import type { K8sObject, ParseProblem, ResolvConfArtifact, SourceFile } from "./types.js";
import { sourceForFile, type SourceDoc, type SourceFileOptions } from "./sources/index.js";
import { hasPlaceholders, templateKindByContent, type SkippedTemplate, type TemplateKind } from "./templates.js";

export interface RawFlagFile {
  file: SourceFile;
  flags: Flag[];
  origin: string;
}

export interface RawInput {
  files: SourceFile[];
  objects: K8sObject[];
  corefiles: SourceFile[];
  cniFiles: { file: SourceFile; json: JsonNode | null; value: unknown }[];
  flannelNetConfs: { file: SourceFile; json: JsonNode; value: Record<string, unknown> }[];
  kubeletFlagFiles: RawFlagFile[];
  resolvConfs: ResolvConfArtifact[];
  binLists: { file: SourceFile; names: string[] }[];
  snapshotMarkers: { file: SourceFile; value: unknown }[];
  problems: ParseProblem[];
  unreadable: { path: string; message: string }[];
  /** Everything read, including files with no artifact. */
  filesRead: number;
  /** Pods and Services per file (display path), parsed or only scanned: CoreDNS memory sizing counts them. */
  counts: Map<string, { pods: number; services: number }>;
  notices: string[];
  /** Documents without a kind that a source adapter reads (k3s config, Talos machine config, Helm values): src/model/sources. */
  sourceDocs?: SourceDoc[];
  /** Unrendered templates found by content (Helm, Jinja, placeholders): not checked, one notice per kind. */
  templates?: SkippedTemplate[];
}

export interface LoadOptions {
  /** What may be read: files inside the input roots, up to a size. */
  policy: ReadPolicy;
  /** Called as files are read (for a progress display). */
  onProgress?: (done: number, total: number) => void;
  /** Called with the length of each file's text once read. */
  onRead?: (chars: number) => void;
  /** Which kind-less files the source adapters read (the config's k3sConfigFiles). */
  sources?: SourceFileOptions;
}

export interface FileToLoad {
  path: string;
  absPath: string | null;
  explicit: boolean;
  /** Content for stdin. */
  text?: string;
}

/** Node name and on-node path for files under `nodes/NAME/`. */
export function nodeOf(displayPath: string): { node: string; nodePath: string } | null {
  const m = /(?:^|\/)nodes\/([^/]+)(\/.*)$/.exec(displayPath);
  return m ? { node: m[1]!, nodePath: m[2]! } : null;
}

const KUBELET_VALUE_FLAGS = new Set([
  "cluster-dns", "cluster-domain", "resolv-conf", "network-plugin", "cni-conf-dir", "cni-bin-dir", "cni-cache-dir",
  "network-plugin-mtu", "pod-infra-container-image", "container-runtime-endpoint", "config", "kubeconfig",
  "bootstrap-kubeconfig", "node-ip", "hostname-override", "pod-cidr", "max-pods", "container-runtime",
]);

export function loadInputs(files: readonly FileToLoad[], options: LoadOptions): RawInput {
  const raw: RawInput = {
    files: [], objects: [], corefiles: [], cniFiles: [], flannelNetConfs: [], kubeletFlagFiles: [], resolvConfs: [],
    binLists: [], snapshotMarkers: [], problems: [], unreadable: [], filesRead: 0, counts: new Map(), notices: [], sourceDocs: [], templates: [],
  };
  files.forEach((f, i) => {
    loadOne(f, options, raw);
    options.onProgress?.(i + 1, files.length);
  });
  return raw;
}

function readText(f: FileToLoad, options: LoadOptions, raw: RawInput): string | null {
  if (f.text !== undefined) return f.text;
  const abs = f.absPath!;
  const refuse = (message: string) => {
    // A file named on the command line must be read; one found by walking is skipped, said on stderr.
    if (f.explicit) raw.unreadable.push({ path: f.path, message });
    else raw.notices.push(`${f.path}: skipped, ${message}`);
    return null;
  };
  const failed = (e: unknown) => {
    const err = e as NodeJS.ErrnoException;
    if (f.explicit || err.code !== "ENOENT") raw.unreadable.push({ path: f.path, message: describeFsError(err) });
    return null;
  };
  // One open without following a link and without blocking (a FIFO), then fstat: the common case
  // costs open, fstat, read and close. A link takes the slow path: where does it lead?
  let fd: number;
  try {
    fd = openSync(abs, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ELOOP") return failed(e);
    const outside = leadsOutside(abs, options.policy);
    if (outside) return refuse(`a symbolic link that leads outside the input (to ${outside}): not followed`);
    try {
      fd = openSync(abs, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    } catch (e2) {
      return failed(e2);
    }
  }
  try {
    const st = fstatSync(fd);
    // FIFOs, sockets and devices would block or never end.
    // A link to a directory found while walking is not followed: its target is walked at its own path when it is inside the input.
    if (st.isDirectory() && !f.explicit) return null;
    if (!st.isFile()) return refuse(st.isDirectory() ? "is a directory" : "not a regular file");
    if (f.explicit) {
      const outside = leadsOutside(abs, options.policy);
      if (outside) return refuse(`a path that leads outside the input (to ${outside}): not followed`);
    }
    if (st.size > options.policy.maxFileSize) {
      // Never skipped in silence: a file too large to check fails the run rather than passing it unchecked.
      raw.unreadable.push({ path: f.path, message: `${st.size} bytes is over the size limit of ${options.policy.maxFileSize} bytes (raise maxFileSize in .kube-netlint.yaml, or list the file under ignore)` });
      return null;
    }
    const buf = readFileSync(fd);
    if (buf.subarray(0, 8192).includes(0)) {
      if (f.explicit) raw.notices.push(`${f.path}: skipped, a binary file`);
      return null;
    }
    return buf.toString("utf8");
  } catch (e) {
    return failed(e);
  } finally {
    closeSync(fd);
  }
}

export function describeFsError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case "ENOENT": return "no such file or directory";
    case "EACCES": case "EPERM": return "permission denied";
    case "EISDIR": return "is a directory";
    case "ELOOP": return "too many levels of symbolic links";
    default: return err.message.replace(/^[A-Z]+: /, "");
  }
}

function sourceFile(f: FileToLoad, text: string, format: SourceFile["format"]): SourceFile {
  return { path: f.path, absPath: f.absPath, text, lines: new LineIndex(text), format };
}

function loadOne(f: FileToLoad, options: LoadOptions, raw: RawInput): void {
  const text = readText(f, options, raw);
  if (text === null) return;
  raw.filesRead++;
  options.onRead?.(text.length);
  const cls = classifyFile(f.path, text);
  const node = nodeOf(f.path);
  switch (cls) {
    case "yaml":
      return loadYaml(f, text, raw, node?.node, sourceForFile(f.path, text, options.sources));
    case "json":
    case "snapshot-marker":
      return loadJson(f, text, raw, cls === "snapshot-marker", node?.node);
    case "corefile": {
      const tpl = templateKindByContent(text);
      if (tpl) return skipTemplate(raw, f.path, tpl);
      const file = sourceFile(f, text, "corefile");
      raw.files.push(file);
      raw.corefiles.push(file);
      return;
    }
    case "kubelet-env": {
      const file = sourceFile(f, text, "text");
      const flags: Flag[] = [];
      for (const a of parseEnvFile(text)) {
        if (!/ARGS$/.test(a.name)) continue;
        const words = splitWords(text.slice(a.valueStart, a.valueEnd), a.valueStart);
        if (words.truncated) raw.notices.push(`${f.path}: ${a.name} has more than ${MAX_WORDS} words: the rest are not checked`);
        for (const flag of parseFlags(words, KUBELET_VALUE_FLAGS)) flags.push(flag);
      }
      raw.files.push(file);
      raw.kubeletFlagFiles.push({ file, flags, origin: `kubelet flags in ${f.path}` });
      return;
    }
    case "systemd-dropin": {
      const file = sourceFile(f, text, "text");
      const flags: Flag[] = [];
      for (const l of parseSystemdUnit(text)) {
        if (l.key === "Environment") {
          for (const w of splitWords(l.value, l.valueStart)) {
            const eq = w.text.indexOf("=");
            if (eq === -1) continue;
            // Exact offsets when the word is written plainly or in plain quotes; else approximate (the word's start).
            const raw = text.slice(w.start, w.end);
            const shift = raw === w.text ? 0 : raw === `"${w.text}"` || raw === `'${w.text}'` ? 1 : -1;
            const valueStart = shift < 0 ? w.start : w.start + shift + eq + 1;
            for (const f of parseFlags(splitWords(w.text.slice(eq + 1), valueStart), KUBELET_VALUE_FLAGS)) flags.push(f);
          }
        } else if (l.key === "ExecStart" && /kubelet/.test(l.value)) {
          for (const f of parseFlags(splitWords(l.value, l.valueStart), KUBELET_VALUE_FLAGS)) flags.push(f);
        }
      }
      if (flags.length) {
        raw.files.push(file);
        raw.kubeletFlagFiles.push({ file, flags, origin: `kubelet flags in ${f.path}` });
      }
      return;
    }
    case "resolv-conf": {
      const file = sourceFile(f, text, "text");
      raw.files.push(file);
      raw.resolvConfs.push({ file, node: node?.node ?? null, nodePath: node?.nodePath ?? null, conf: parseResolvConf(text) });
      return;
    }
    case "cni-bin-list": {
      const file = sourceFile(f, text, "text");
      raw.files.push(file);
      raw.binLists.push({ file, names: text.split(/\r?\n/).map((s) => s.trim()).filter((s) => s && !s.startsWith("#")) });
      return;
    }
    default:
      return;
  }
}

function loadYaml(f: FileToLoad, text: string, raw: RawInput, node?: string, adapter?: string | null): void {
  let file: SourceFile | null = null;
  const ensureFile = () => {
    if (!file) {
      file = sourceFile(f, text, "yaml");
      raw.files.push(file);
    }
    return file;
  };
  const fileBudget = { nodes: 0 };
  // kustomize reads its kustomization file whether or not it has a `kind:` line.
  const kustomization = KUSTOMIZATION_FILE.test(f.path);
  for (const slice of splitYamlDocuments(text)) {
    const docText = text.slice(slice.start, slice.end);
    const scan = scanDocument(docText);
    if (scan.kind === "Pod" || scan.kind === "Service") count(raw, f.path, scan.kind);
    const forSource = !!adapter && scan.kind === null && !kustomization;
    if (!scan.needed && !kustomization && !forSource) continue;
    // A manifest with template actions is a template (Helm, Jinja); a document without a top-level kind
    // (an Ansible task list) is one only when the actions break it.
    const tpl = templateKindByContent(docText);
    if (tpl && scan.kind !== null) {
      skipTemplate(raw, f.path, tpl);
      continue;
    }
    const parsed = parseYamlDocument(text, slice, { fileBudget });
    if (parsed.errors.length && !parsed.errors[0]!.limit && (tpl || hasPlaceholders(docText))) {
      skipTemplate(raw, f.path, tpl ?? "placeholder");
      continue;
    }
    if (parsed.errors.length) {
      const sf = ensureFile();
      const e = parsed.errors[0]!;
      raw.problems.push({ ruleId: "yaml/syntax", loc: { file: sf, start: e.offset, end: e.endOffset }, message: e.message, ...(e.limit ? { limit: true } : {}) });
      continue;
    }
    const sf = ensureFile();
    if (kustomization && parsed.value && typeof parsed.value === "object" && !Array.isArray(parsed.value) && typeof (parsed.value as { kind?: unknown }).kind !== "string") (parsed.value as { kind?: unknown }).kind = "Kustomization";
    const obj = objectFromYaml(sf, parsed, node);
    // A kustomization is read for its tree (model/kustomize), not as a cluster object (Flux's Kustomization CRD elsewhere is not).
    if (obj && kustomization && obj.kind === "Kustomization") raw.objects.push(obj);
    else if (forSource && !obj && parsed.value !== null && parsed.value !== undefined) raw.notices.push(`${f.path}: read as a ${adapter} source, but the document is not a map of settings: not read`);
    else if (obj && forSource && !obj.kind) (raw.sourceDocs ??= []).push({ adapter: adapter!, object: obj });
    else if (obj) addObject(obj, raw, docText);
  }
}

/** The names kustomize looks for in a directory (sigs.k8s.io/kustomize/api/konfig: RecognizedKustomizationFileNames). */
export const KUSTOMIZATION_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

function count(raw: RawInput, file: string, kind: "Pod" | "Service"): void {
  let c = raw.counts.get(file);
  if (!c) raw.counts.set(file, (c = { pods: 0, services: 0 }));
  if (kind === "Pod") c.pods++;
  else c.services++;
}

function addObject(obj: K8sObject, raw: RawInput, textForFilter?: string): void {
  if (obj.kind === "List" || (obj.kind.endsWith("List") && Array.isArray(obj.value.items))) {
    const items = Array.isArray(obj.value.items) ? obj.value.items : [];
    items.forEach((item, i) => {
      if (!item || typeof item !== "object") return;
      const value = item as Record<string, unknown>;
      const listKind = obj.kind.endsWith("List") && obj.kind !== "List" ? obj.kind.slice(0, -4) : "";
      if (typeof value.kind !== "string" && listKind) value.kind = listKind;
      if (value.kind === "Pod" || value.kind === "Service") count(raw, obj.file.path, value.kind);
      if (typeof value.kind !== "string" || !(isRelevantKind(value.kind) || isObservedListKind(value.kind))) return;
      raw.objects.push(subObject(obj, ["items", i], value));
    });
    return;
  }
  if (!obj.kind || !isRelevantKind(obj.kind, textForFilter)) return;
  raw.objects.push(obj);
}

/** An item of a List, with paths relative to the item. */
function subObject(list: K8sObject, prefix: (string | number)[], value: Record<string, unknown>): K8sObject {
  const m = (value.metadata ?? {}) as Record<string, unknown>;
  const sub: K8sObject = {
    kind: String(value.kind ?? ""),
    apiVersion: String(value.apiVersion ?? ""),
    name: typeof m.name === "string" ? m.name : "",
    namespace: typeof m.namespace === "string" ? m.namespace : "",
    value,
    file: list.file,
    loc: list.rangeAt(prefix) ?? list.loc,
    rangeAt: (path, part) => list.rangeAt([...prefix, ...path], part),
    locate: (path, part) => list.locate([...prefix, ...path], part),
    stringSource: (path) => list.stringSource([...prefix, ...path]),
  };
  if (list.node) sub.node = list.node;
  return sub;
}

function skipTemplate(raw: RawInput, path: string, kind: TemplateKind): void {
  (raw.templates ??= []).push({ path, kind });
}

/** Text that is CNI JSON even when it does not parse: cniVersion, plugins with types, or a known CNI plugin type. */
function mentionsCniJson(text: string): boolean {
  if (/"cniVersion"\s*:/.test(text) || (/"plugins"\s*:\s*\[/.test(text) && /"type"\s*:/.test(text))) return true;
  for (const m of text.matchAll(/"type"\s*:\s*"([^"\n]{1,64})"/g)) if (looksLikeCniConfig({ type: m[1] })) return true;
  return false;
}

function loadJson(f: FileToLoad, text: string, raw: RawInput, isMarker: boolean, node?: string): void {
  const parsed = parseJson(text);
  const ext = f.path.slice(f.path.lastIndexOf(".")).toLowerCase();
  const cniLike = () => ext === ".conflist" || mentionsCniJson(text);
  const k8sLike = () => /"kind"\s*:/.test(text) && /"apiVersion"\s*:/.test(text);
  const tpl = templateKindByContent(text);
  if (tpl && (cniLike() || k8sLike())) return skipTemplate(raw, f.path, tpl);
  if (parsed.error || !parsed.value) {
    const e = parsed.error!;
    // Never from the name or a `"type"` key alone: an INI app.conf, a tsconfig.json with comments, an ARM template are another program's files.
    const isCni = cniLike();
    const isK8s = k8sLike();
    if (!isCni && !isK8s) return;
    if (hasPlaceholders(text)) return skipTemplate(raw, f.path, "placeholder");
    const file = sourceFile(f, text, "json");
    raw.files.push(file);
    if (isCni) raw.cniFiles.push({ file, json: null, value: null });
    raw.problems.push({
      ruleId: isCni ? "cni/invalid-json" : "yaml/syntax",
      loc: { file, start: e.offset, end: Math.min(text.length, e.offset + 1) },
      message: e.message,
    });
    return;
  }
  const value = toPlain(parsed.value);
  const file = sourceFile(f, text, "json");
  if (isMarker) {
    raw.files.push(file);
    raw.snapshotMarkers.push({ file, value });
    return;
  }
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    // kube-netlint's own baselines and JSON reports are never inputs.
    if ((v.tool as { name?: unknown } | undefined)?.name === "kube-netlint") return;
    if (typeof v.kind === "string" && (typeof v.apiVersion === "string" || Array.isArray(v.items))) {
      const before = raw.objects.length;
      addObject(objectFromJson(file, parsed.value, v, node), raw);
      if (raw.objects.length > before) raw.files.push(file);
      return;
    }
    if (looksLikeCniConfig(v) || ext === ".conflist") {
      raw.files.push(file);
      raw.cniFiles.push({ file, json: parsed.value, value: v });
      return;
    }
    if (looksLikeFlannelNetConf(v)) {
      raw.files.push(file);
      raw.flannelNetConfs.push({ file, json: parsed.value, value: v });
    }
  }
}
