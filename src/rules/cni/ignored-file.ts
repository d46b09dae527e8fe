import path from "node:path";
import { defineRule } from "../../engine/rule.js";
import type { CniConfDirArtifact, Loc, SourceFile } from "../../model/types.js";
import { cniFileLoc } from "../lib/cni.js";

const EXTENSIONS = [".conflist", ".conf", ".json"];

/** The name the file probably should have: the CNI extension it hides (`.conflist.bak`, `.CONF`), or a `.yaml` holding JSON. */
function intendedName(name: string): string | null {
  const lower = name.toLowerCase();
  for (const ext of EXTENSIONS) {
    const at = lower.lastIndexOf(ext);
    if (at > 0) return name.slice(0, at) + ext;
  }
  if (/\.ya?ml$/i.test(name)) return name.replace(/\.ya?ml$/i, ".conflist");
  return null;
}

/** An ignored entry has no parsed file: point at the file itself (line 1), reusing the dir's empty line index. */
function entryLoc(dir: CniConfDirArtifact, files: readonly SourceFile[], entry: { name: string; path: string }): Loc {
  const read = files.find((f) => f.path === entry.path);
  if (read) return { file: read, start: 0, end: Math.min(read.text.length, read.lines.lineEnd(1)) };
  const absPath = dir.dirFile.absPath ? path.join(dir.dirFile.absPath, entry.name) : null;
  return { file: { path: entry.path, absPath, text: "", lines: dir.dirFile.lines, format: "json" }, start: 0, end: 0 };
}

export default defineRule({
  meta: { id: "cni/ignored-file", severity: "info", advisory: true, summary: "A CNI config that the runtime never reads because of its name, or a hidden file that it does read" },
  check({ cluster, report }) {
    for (const dir of cluster.cniConfDirs) {
      for (const entry of dir.ignored) {
        if (!entry.looksLikeCni) continue;
        const ext = path.posix.extname(entry.name) || "(none)";
        const intended = intendedName(entry.name);
        const rename = intended ? `; if it is meant to be used, rename it to ${intended}` : "";
        report({
          loc: entryLoc(dir, cluster.files, entry),
          message: `${entry.name} looks like a CNI config but ${dir.runtime} never reads it: only names whose last extension is exactly .conf, .conflist or .json (case-sensitive) are loaded, and this one ends in ${ext}${rename}; otherwise move it out of ${dir.dir} so nobody mistakes it for live configuration`,
        });
      }
      for (const name of dir.load.candidates) {
        if (!name.startsWith(".")) continue;
        const artifact = dir.files.get(name);
        if (!artifact) continue;
        const chosen = dir.load.chosen?.file === name;
        const first = dir.load.candidates[0] === name;
        const effect = chosen
          ? `it is the config ${dir.runtime} uses for every pod (a leading "." sorts before digits)`
          : first
            ? `it sorts first (a leading "." sorts before digits), so ${dir.runtime} reads it before every other config`
            : `${dir.runtime} reads it like any other config`;
        report({
          loc: cniFileLoc(artifact),
          message: `${name} is a hidden file, yet the runtime loads it (libcni lists dotfiles too): ${effect}; \`ls\` does not show it, so delete or rename it if it is a leftover`,
        });
      }
    }
  },
});
