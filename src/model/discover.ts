/**
 * Discovery: which files and CNI conf dirs the input holds. Directories are walked once; a file is
 * read only when its name or place can hold a networking artifact (files named on the command line
 * are always read).
 */
import { parseJson, toPlain } from "../parsers/json.js";
import { looksLikeCniConfig } from "./classify.js";
import { readConfDirFromDisk } from "./cni-loading.js";
import { templateKindByName, type SkippedTemplate } from "./templates.js";
import { fastGlob, picomatch } from "../lazy-deps.js";
import { lstatSync, readdirSync, statSync, type Dirent } from "node:fs";
import path from "node:path";

/**
 * A file found. Only its display path is kept: the absolute path is derived from it when asked for
 * (path.resolve(cwd, display) gives it back exactly), since a fleet holds hundreds of thousands of files.
 */
export class DiscoveredFile {
  constructor(
    /** Display path: relative to cwd with `/` separators (absolute when far outside cwd). */
    readonly path: string,
    public explicit: boolean,
    private readonly cwd: string,
  ) {}

  get absPath(): string {
    return path.resolve(this.cwd, this.path);
  }
}

export interface DiscoveryResult {
  files: DiscoveredFile[];
  /** CNI conf dirs, absolute: directories whose path ends in `net.d`, directories named on the command line that hold CNI configs, and config `cniConfDirs`. */
  confDirs: string[];
  /** Directories named on the command line (they may be conf dirs themselves). */
  explicitDirs: string[];
  /** PATH arguments that matched nothing. */
  unmatched: string[];
  /** Unrendered templates (by name) and Helm charts: not read, one notice per kind. */
  templates: SkippedTemplate[];
  /** vendor/, node_modules/ and testdata/ directories that were not walked (DEFAULT_SKIPPED_DIRS). */
  skippedDirs: string[];
}

export interface DiscoveryOptions {
  cwd: string;
  /** Glob patterns, each with the directory it is relative to. */
  ignore: { pattern: string; base: string }[];
  /** Directories to load as conf dirs whatever their names (config `cniConfDirs`). */
  extraConfDirs?: string[];
  /** Also walk vendor/, node_modules/ and testdata/ (`--include-vendored`, config `includeVendored`). */
  includeVendored?: boolean;
  /** Absolute paths that are never inputs (the config file, the baseline). */
  exclude?: string[];
}

/** Directories a walk passes over by default: other projects' copies and Go test inputs, not the repository's clusters. */
export const DEFAULT_SKIPPED_DIRS = ["vendor", "node_modules", "testdata"];
const ALWAYS_SKIPPED_DIRS = ["**/.git/**"]; // for globs; the walk skips them itself
const READ_EXTENSIONS = new Set([".yaml", ".yml", ".json", ".conf", ".conflist", ".env", ".corefile", ".txt"]);

export function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  const shown = rel === "" ? "." : rel.startsWith("..") && path.isAbsolute(abs) && rel.split(path.sep).filter((s) => s === "..").length > 3 ? abs : rel;
  return shown.split(path.sep).join("/");
}

export function isConfDirPath(p: string): boolean {
  return /(^|[/\\])net\.d$/.test(p.replace(/[/\\]+$/, ""));
}

/** kube-netlint's own files (config, baseline): never inputs. */
const OWN_FILES = new Set([".kube-netlint.yaml", ".kube-netlint.yml", ".kube-netlint.json", ".kube-netlint-baseline.json"]);

/** Whether a file found while walking a directory is worth reading. */
export function isCandidateFile(rel: string): boolean {
  const name = path.posix.basename(rel);
  if (OWN_FILES.has(name)) return false;
  const ext = path.posix.extname(name).toLowerCase();
  if (ext === ".txt") return name === "bin.txt" || name.endsWith(".bin.txt");
  if (READ_EXTENSIONS.has(ext)) return true;
  if (/corefile/i.test(name) || /resolv\.conf/.test(name) || name.includes(".conf")) return true;
  if (/(^|\/)nodes\/[^/]+\//.test(rel)) return !/\.(png|jpe?g|gif|gz|tgz|zip|tar|md|log)$/i.test(name);
  // Files with no extension are sniffed by content.
  return !name.includes(".") ;
}

export function discover(inputs: readonly string[], options: DiscoveryOptions): DiscoveryResult {
  const files = new Map<string, DiscoveredFile>();
  const templates: SkippedTemplate[] = [];
  const skippedDirs: string[] = [];
  const exclude = new Set(options.exclude ?? []);
  const skipDirs = new Set(options.includeVendored ? [] : DEFAULT_SKIPPED_DIRS);
  const confDirs = new Set<string>(options.extraConfDirs ?? []);
  const explicitDirs: string[] = [];
  const namedDir = (dir: string) => {
    explicitDirs.push(dir);
    if (isConfDirPath(dir) || holdsCniConfigs(dir)) confDirs.add(dir);
  };
  const unmatched: string[] = [];
  const ignoreMatchers = options.ignore.map(({ pattern, base }) => ({ base, match: picomatch(pattern, { dot: true }) }));
  const ignored = (abs: string) =>
    ignoreMatchers.some(({ base, match }) => {
      const rel = path.relative(base, abs).split(path.sep).join("/");
      return !rel.startsWith("..") && match(rel);
    });
  const add = (abs: string, explicit: boolean, display?: string) => {
    if (!explicit && ignored(abs)) return;
    if (exclude.has(abs)) return;
    if (explicit) {
      // Named on the command line (pre-commit passes changed files): a template or a chart source is still not a final file.
      const shown = display ?? displayPath(options.cwd, abs);
      const chart = chartRootOf(abs);
      if (chart) return void templates.push({ path: displayPath(options.cwd, chart), kind: "helm-chart" });
      const kind = templateKindByName(path.basename(abs), isCandidateFile);
      if (kind) return void templates.push({ path: shown, kind });
    }
    // Keyed by display path: one per absolute path (displayPath is one to one), and no absolute path kept.
    const key = display ?? displayPath(options.cwd, abs);
    const existing = files.get(key);
    if (existing) existing.explicit ||= explicit;
    else files.set(key, new DiscoveredFile(key, explicit, options.cwd));
  };

  for (const input of inputs) {
    const abs = path.resolve(options.cwd, input);
    let stat: ReturnType<typeof statSync> | undefined;
    try {
      stat = statSync(abs);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) {
      namedDir(abs);
      walk(abs, displayPath(options.cwd, abs), add, confDirs, ignored, { skipDirs, skippedDirs, templates });
      continue;
    }
    if (stat?.isFile()) {
      add(abs, true);
      continue;
    }
    if (!stat) {
      try {
        // A dangling link or an unreadable entry named explicitly: report it as unreadable later.
        lstatSync(abs);
        add(abs, true);
        continue;
      } catch {
        /* not a path: try it as a glob */
      }
    }
    if (fastGlob().isDynamicPattern(input)) {
      const matches = fastGlob().sync(input.split(path.sep).join("/"), {
        cwd: options.cwd,
        absolute: true,
        dot: true,
        onlyFiles: false,
        markDirectories: true,
        ignore: [...ALWAYS_SKIPPED_DIRS, ...[...skipDirs].map((d) => `**/${d}/**`)],
        suppressErrors: true,
      });
      if (matches.length === 0) unmatched.push(input);
      for (const m of matches.sort()) {
        if (m.endsWith("/")) {
          const dir = m.slice(0, -1);
          namedDir(dir);
          walk(dir, displayPath(options.cwd, dir), add, confDirs, ignored, { skipDirs, skippedDirs, templates });
        } else add(path.normalize(m), true);
      }
      continue;
    }
    unmatched.push(input);
  }
  const sorted = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: sorted, confDirs: [...confDirs].sort(), explicitDirs, unmatched, templates, skippedDirs };
}

/** The Helm chart whose templates/ hold `abs` (a `templates` ancestor with a Chart.yaml beside it), else null. */
function chartRootOf(abs: string): string | null {
  let dir = path.dirname(abs);
  for (let i = 0; i < 8; i++) {
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    if (path.basename(dir) === "templates" && isChartDir(parent)) return parent;
    dir = parent;
  }
  return null;
}

function isChartDir(dir: string): boolean {
  return ["Chart.yaml", "Chart.yml"].some((name) => statSync(path.join(dir, name), { throwIfNoEntry: false })?.isFile() === true);
}

interface WalkSkips {
  skipDirs: ReadonlySet<string>;
  skippedDirs: string[];
  templates: SkippedTemplate[];
}

/**
 * Every entry under `root`, depth first, with one readdir per directory. Linked directories are not
 * entered (a link is an entry like a file: the loader decides whether it may be read), and neither
 * are node_modules/ and .git/.
 */
function walk(
  root: string,
  rootDisplay: string,
  add: (abs: string, explicit: boolean, display: string) => void,
  confDirs: Set<string>,
  ignored: (abs: string) => boolean,
  skips: WalkSkips,
): void {
  // Paths are built by concatenation: path.join/relative on every entry of a large tree cost more than the walk.
  const pending: [string, string][] = [[root.endsWith(path.sep) ? root.slice(0, -1) : root, ""]];
  const shown = (rel: string) => (rootDisplay === "." ? rel : `${rootDisplay}/${rel}`);
  while (pending.length) {
    const [dir, dirRel] = pending.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    // Files directly inside a conf dir are read by the conf-dir loader, exactly as the runtime would.
    const inConfDir = confDirs.has(dir);
    const underNetD = /(^|[/\\])net\.d([/\\]|$)/.test(dir);
    // A Helm chart: Chart.yaml beside templates/. Its templates are sources, not manifests: one notice, not read.
    const chart = entries.some((e) => (e.name === "Chart.yaml" || e.name === "Chart.yml") && !e.isDirectory()) && entries.some((e) => e.name === "templates" && e.isDirectory());
    if (chart && !ignored(dir)) skips.templates.push({ path: dirRel === "" ? rootDisplay : shown(dirRel), kind: "helm-chart" });
    for (const e of entries) {
      const abs = dir + path.sep + e.name;
      const rel = dirRel === "" ? e.name : `${dirRel}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name === ".git" || (chart && e.name === "templates")) continue;
        if (skips.skipDirs.has(e.name)) {
          if (!ignored(abs)) skips.skippedDirs.push(shown(rel));
          continue;
        }
        if (isConfDirPath(abs) && !ignored(abs)) confDirs.add(abs);
        pending.push([abs, rel]);
        continue;
      }
      if (underNetD) continue;
      if (inConfDir && (/\.(conf|conflist|json)$/.test(e.name) || e.isSymbolicLink())) continue;
      const tpl = templateKindByName(e.name, isCandidateFile);
      if (tpl) {
        if (!ignored(abs)) skips.templates.push({ path: shown(rel), kind: tpl });
      } else if (isCandidateFile(rel)) {
        // Kept for the whole run: join() gives one flat string, where a template literal gives a chain of pieces.
        add(abs, false, rootDisplay === "." ? (dirRel === "" ? e.name : [dirRel, e.name].join("/")) : [rootDisplay, rel].join("/"));
      }
    }
  }
}

/**
 * Whether a directory named on the command line is a CNI conf dir: it is empty, or a top-level
 * entry is a CNI config by name and content. `.conflist` names and links with a CNI extension
 * count as they are; a `.conf`/`.json` file counts unless its content is clearly another format
 * (an nginx.conf, a package.json); files with other names count when they hold CNI fields; a
 * subdirectory counts when its own top-level files do.
 */
function holdsCniConfigs(dir: string, depth = 0): boolean {
  // Only small files are looked at: a CNI config is a few kilobytes, and a huge file is never read here.
  const entries = readConfDirFromDisk(dir, { roots: [path.parse(dir).root], maxFileSize: 1024 * 1024 });
  if (entries.missing || entries.readError) return false;
  // An empty directory is a conf dir only by its name (net.d) or the config's cniConfDirs.
  if (entries.length === 0) return false;
  const mentionsCni = (t: string) => /"?(cniVersion|cniVersions)"?\s*:/.test(t) || (/"plugins"\s*:/.test(t) && /"type"\s*:/.test(t));
  for (const e of entries) {
    const ext = /\.(conf|conflist|json)$/.exec(e.name)?.[1];
    if (e.kind === "dir") {
      if (depth === 0 && /\.(conf|conflist|json)/.test(e.name) && holdsCniConfigs(path.join(dir, e.name), 1)) return true;
      continue;
    }
    if (e.kind === "broken") {
      if (ext) return true;
      continue;
    }
    if (ext === "conflist") return true;
    const content = e.read();
    if (!("text" in content)) {
      if (ext) return true;
      continue;
    }
    const text = content.text;
    // A Kubernetes manifest that carries a CNI config in a ConfigMap (flannel's cni-conf.json) is not one itself.
    const manifest = /^(kind|apiVersion):/m.test(text) || (/"kind"\s*:\s*"/.test(text) && /"apiVersion"\s*:\s*"/.test(text));
    if (!manifest && mentionsCni(text.slice(0, 65536))) return true;
    const parsed = parseJson(text);
    if (parsed.value && looksLikeCniConfig(toPlain(parsed.value))) return true;
    if (ext === "conf") {
      // Not JSON-shaped at all (nginx, INI): another program's config.
      const head = text.replace(/^[\ufeff\ufffd\s\0]+/, "");
      // JSON-shaped (an object, an array, a string, a number, a comment) that does not parse: a broken CNI config,
      // not an INI section such as a systemd drop-in's `[Service]`. JSON that parses and is not CNI is another program's.
      const plain = parsed.value ? toPlain(parsed.value) : undefined;
      if (plain && typeof plain === "object" && !Array.isArray(plain)) continue;
      if (head === "" || /^(\{|\[\s*([[{"\]\d-]|$)|["'\d-]|\/[*/]|(null|true|false)\b)/.test(head) || text.includes("\0") || text.includes("\ufffd")) return true;
    }
    if (/\.(conf|conflist)[^/]+$/.test(e.name) && (text.includes("\0") || text.includes("\ufffd"))) return true;
  }
  return false;
}

