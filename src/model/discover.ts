/**
 * Discovery: which files and CNI conf dirs the input holds. Directories are walked once; a file is
 * read only when its name or place can hold a networking artifact (files named on the command line
 * are always read).
 */
import { parseJson, toPlain } from "../parsers/json.js";
import { looksLikeCniConfig } from "./classify.js";
import { readConfDirFromDisk } from "./cni-loading.js";
import { fastGlob, picomatch } from "../lazy-deps.js";
import { lstatSync, readdirSync, statSync, type Dirent } from "node:fs";
import path from "node:path";

export interface DiscoveredFile {
  absPath: string;
  /** Display path: relative to cwd with `/` separators. */
  path: string;
  explicit: boolean;
}

export interface DiscoveryResult {
  files: DiscoveredFile[];
  /** CNI conf dirs, absolute: directories whose path ends in `net.d`, directories named on the command line that hold CNI configs, and config `cniConfDirs`. */
  confDirs: string[];
  /** Directories named on the command line (they may be conf dirs themselves). */
  explicitDirs: string[];
  /** PATH arguments that matched nothing. */
  unmatched: string[];
}

export interface DiscoveryOptions {
  cwd: string;
  /** Glob patterns, each with the directory it is relative to. */
  ignore: { pattern: string; base: string }[];
  /** Directories to load as conf dirs whatever their names (config `cniConfDirs`). */
  extraConfDirs?: string[];
}

const ALWAYS_SKIPPED_DIRS = ["**/node_modules/**", "**/.git/**"]; // for globs; the walk skips them itself
const READ_EXTENSIONS = new Set([".yaml", ".yml", ".json", ".conf", ".conflist", ".env", ".corefile", ".txt"]);

export function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  const shown = rel === "" ? "." : rel.startsWith("..") && path.isAbsolute(abs) && rel.split(path.sep).filter((s) => s === "..").length > 3 ? abs : rel;
  return shown.split(path.sep).join("/");
}

export function isConfDirPath(p: string): boolean {
  return /(^|[/\\])net\.d$/.test(p.replace(/[/\\]+$/, ""));
}

/** Whether a file found while walking a directory is worth reading. */
export function isCandidateFile(rel: string): boolean {
  const name = path.posix.basename(rel);
  if (name === ".kube-netlint.yaml" || name === ".kube-netlint.json") return false;
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
    const existing = files.get(abs);
    if (existing) existing.explicit ||= explicit;
    else files.set(abs, { absPath: abs, path: display ?? displayPath(options.cwd, abs), explicit });
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
      walk(abs, displayPath(options.cwd, abs), add, confDirs, ignored);
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
        ignore: ALWAYS_SKIPPED_DIRS,
        suppressErrors: true,
      });
      if (matches.length === 0) unmatched.push(input);
      for (const m of matches.sort()) {
        if (m.endsWith("/")) {
          const dir = m.slice(0, -1);
          namedDir(dir);
          walk(dir, displayPath(options.cwd, dir), add, confDirs, ignored);
        } else add(path.normalize(m), true);
      }
      continue;
    }
    unmatched.push(input);
  }
  const sorted = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: sorted, confDirs: [...confDirs].sort(), explicitDirs, unmatched };
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
    for (const e of entries) {
      const abs = dir + path.sep + e.name;
      const rel = dirRel === "" ? e.name : `${dirRel}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name === "node_modules" || e.name === ".git") continue;
        if (isConfDirPath(abs) && !ignored(abs)) confDirs.add(abs);
        pending.push([abs, rel]);
        continue;
      }
      if (underNetD) continue;
      if (inConfDir && (/\.(conf|conflist|json)$/.test(e.name) || e.isSymbolicLink())) continue;
      if (isCandidateFile(rel)) add(abs, false, shown(rel));
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
  if (entries.length === 0) return depth === 0;
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
      // JSON-shaped (an object, an array, a string, a number, a comment), not an INI section such as a systemd drop-in's `[Service]`.
      if (head === "" || /^(\{|\[\s*([[{"\]\d-]|$)|["'\d-]|\/[*/]|(null|true|false)\b)/.test(head) || text.includes("\0") || text.includes("\ufffd")) return true;
    }
    if (/\.(conf|conflist)[^/]+$/.test(e.name) && (text.includes("\0") || text.includes("\ufffd"))) return true;
  }
  return false;
}

