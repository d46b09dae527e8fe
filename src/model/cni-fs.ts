/**
 * Disk adapter for CNI conf-dir loading: turns a directory into `ConfDirEntry` values the way Go's
 * `os.ReadDir` + `os.ReadFile` see it (lstat for the listing, symlinks followed only when reading).
 * Never throws.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfDirEntry, ConfDirListing } from "./cni-loading.js";

const STRERROR: Record<string, string> = {
  ENOENT: "no such file or directory",
  ELOOP: "too many levels of symbolic links",
  EISDIR: "is a directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "not a directory",
  ENAMETOOLONG: "file name too long",
  EIO: "input/output error",
};

function describeError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined && STRERROR[code] !== undefined) return STRERROR[code]!;
  return e instanceof Error ? e.message : String(e);
}

/** Read a file as Node decodes UTF-8 (invalid bytes become U+FFFD; a BOM is kept). */
function readText(p: string): { text: string } | { error: string } {
  try {
    const st = fs.statSync(p);
    if (st.isDirectory()) return { error: "read: is a directory" };
    // FIFOs, sockets and devices would block or fail in the runtime too; never block the linter.
    if (!st.isFile()) return { error: "not a regular file" };
    return { text: fs.readFileSync(p).toString("utf8") };
  } catch (e) {
    return { error: `open: ${describeError(e)}` };
  }
}

/**
 * List `dir` for CNI loading. A missing dir gives an empty list marked `missing: true`; a dir that
 * cannot be listed gives an empty list with `readError`. File contents are read lazily by `read()`.
 */
export function readConfDirFromDisk(dir: string): ConfDirListing {
  const out: ConfDirListing = [];
  out.dir = dir;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | null)?.code;
    if (code === "ENOENT") out.missing = true;
    else out.readError = describeError(e);
    return out;
  }
  for (const name of names) {
    const p = path.join(dir, name);
    let entry: ConfDirEntry;
    try {
      const l = fs.lstatSync(p);
      if (l.isDirectory()) {
        entry = { name, kind: "dir" };
      } else if (l.isSymbolicLink()) {
        let st: fs.Stats | null = null;
        let reason = "";
        try {
          st = fs.statSync(p);
        } catch (e) {
          reason = `open: ${describeError(e)}`;
        }
        if (st === null) entry = { name, kind: "broken", isSymlink: true, reason };
        else if (st.isDirectory()) entry = { name, kind: "broken", isSymlink: true, reason: "read: is a directory (symlink to a directory)" };
        else entry = { name, kind: "file", isSymlink: true, read: () => readText(p) };
      } else {
        entry = { name, kind: "file", read: () => readText(p) };
      }
    } catch (e) {
      // Vanished between readdir and lstat: still listed, fails to read.
      const reason = `lstat: ${describeError(e)}`;
      entry = { name, kind: "file", read: () => ({ error: reason }) };
    }
    out.push(entry);
  }
  return out;
}
