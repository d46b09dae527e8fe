/**
 * Disk adapter for CNI conf-dir loading: turns a directory into `ConfDirEntry` values the way Go's
 * `os.ReadDir` + `os.ReadFile` see it (lstat for the listing, symlinks followed only when reading).
 * Never throws.
 */
import { isUtf8 } from "node:buffer";
import { lstatSync, readdirSync, readFileSync, statSync, type Stats } from "node:fs";
import * as path from "node:path";
import type { ConfDirEntry, ConfDirListing } from "./cni-loading.js";
import { leadsOutside, type ReadPolicy } from "./read-policy.js";

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

/**
 * Decode UTF-8 the way Go's encoding/json sees it: a BOM is kept (so it fails outside strings), and each
 * byte of an invalid sequence becomes one U+FFFD (Go `utf8.DecodeRune`), where Node's decoder would
 * replace a maximal invalid subpart with a single U+FFFD. Valid input takes the fast path.
 */
export function decodeUtf8LikeGo(buf: Uint8Array): string {
  if (isUtf8(buf)) return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString("utf8");
  let out = "";
  let runStart = 0;
  const n = buf.length;
  let i = 0;
  const flush = (end: number) => {
    if (end > runStart) out += Buffer.from(buf.buffer, buf.byteOffset + runStart, end - runStart).toString("utf8");
  };
  while (i < n) {
    const b = buf[i]!;
    let size = 0;
    if (b < 0x80) size = 1;
    else if (b >= 0xc2 && b <= 0xdf) size = cont(buf, i + 1) ? 2 : 0;
    else if (b >= 0xe0 && b <= 0xef) {
      const b1 = buf[i + 1];
      const lo = b === 0xe0 ? 0xa0 : 0x80;
      const hi = b === 0xed ? 0x9f : 0xbf;
      size = b1 !== undefined && b1 >= lo && b1 <= hi && cont(buf, i + 2) ? 3 : 0;
    } else if (b >= 0xf0 && b <= 0xf4) {
      const b1 = buf[i + 1];
      const lo = b === 0xf0 ? 0x90 : 0x80;
      const hi = b === 0xf4 ? 0x8f : 0xbf;
      size = b1 !== undefined && b1 >= lo && b1 <= hi && cont(buf, i + 2) && cont(buf, i + 3) ? 4 : 0;
    }
    if (size === 0) {
      flush(i);
      out += "\ufffd";
      i++;
      runStart = i;
    } else {
      i += size;
    }
  }
  flush(n);
  return out;
}

function cont(buf: Uint8Array, i: number): boolean {
  const b = buf[i];
  return b !== undefined && b >= 0x80 && b <= 0xbf;
}

/** Read a file's text (see decodeUtf8LikeGo). */
function readText(p: string, policy?: ReadPolicy): { text: string } | { error: string } {
  try {
    const st = statSync(p);
    if (st.isDirectory()) return { error: "read: is a directory" };
    // FIFOs, sockets and devices would block or fail in the runtime too; never block the linter.
    if (!st.isFile()) return { error: "not a regular file" };
    if (policy) {
      if (leadsOutside(p, policy)) return { error: "open: the link leads outside the input (not followed)" };
      if (st.size > policy.maxFileSize) return { error: `read: ${st.size} bytes is over the size limit of ${policy.maxFileSize} bytes (maxFileSize in the config)` };
    }
    return { text: decodeUtf8LikeGo(readFileSync(p)) };
  } catch (e) {
    return { error: `open: ${describeError(e)}` };
  }
}

function subdirListing(p: string, policy?: ReadPolicy): ConfDirEntry[] | { error: string } {
  const l = readConfDirFromDisk(p, policy);
  if (l.readError !== undefined) return { error: l.readError };
  return l;
}

/**
 * List `dir` for CNI loading. A missing dir gives an empty list marked `missing: true`; a dir that
 * cannot be listed gives an empty list with `readError`. File contents are read lazily by `read()`.
 */
export function readConfDirFromDisk(dir: string, policy?: ReadPolicy): ConfDirListing {
  const out: ConfDirListing = [];
  out.dir = dir;
  let names: string[];
  try {
    names = readdirSync(dir);
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
      const l = lstatSync(p);
      if (l.isDirectory()) {
        // Listed only when asked (libcni >= 1.3 subdirectory plugins, see cni-loading.ts).
        entry = { name, kind: "dir", list: () => subdirListing(p, policy) };
      } else if (l.isSymbolicLink()) {
        let st: Stats | null = null;
        let reason = "";
        try {
          st = statSync(p);
        } catch (e) {
          reason = `open: ${describeError(e)}`;
        }
        if (st === null) entry = { name, kind: "broken", isSymlink: true, reason };
        else if (st.isDirectory()) entry = { name, kind: "broken", isSymlink: true, reason: "read: is a directory (symlink to a directory)" };
        else entry = { name, kind: "file", isSymlink: true, read: () => readText(p, policy) };
      } else {
        entry = { name, kind: "file", read: () => readText(p, policy) };
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
