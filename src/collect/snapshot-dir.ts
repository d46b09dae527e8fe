/**
 * The snapshot directory: what collect may write into, and how. Every file is written atomically
 * (a temporary file in a private directory inside DIR, then a rename), only inside DIR, and a
 * directory that already holds something else is refused rather than mixed with.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, unlinkSync } from "node:fs";
import { writeViaRename } from "../write-file.js";
import path from "node:path";

export const MARKER = "kube-netlint-snapshot.json";
const TMP_DIR = /^\.kube-netlint-collect-\d+\.tmp$/;

export class SnapshotDirError extends Error {
  override readonly name = "SnapshotDirError";
}

/** What a previous collect into the same directory wrote (from its marker). */
export interface PreviousSnapshot {
  files: string[];
  dirs: string[];
}

/**
 * Decide whether DIR may be written: it does not exist (it is created), it is empty, or it holds a
 * kube-netlint snapshot marker (the snapshot is then replaced). Anything else is refused.
 */
export function prepareSnapshotDir(dir: string): PreviousSnapshot | null {
  const previous = checkSnapshotDir(dir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new SnapshotDirError(`${dir}: cannot create the directory: ${(e as Error).message}`);
  }
  return previous;
}

/** The same decision as prepareSnapshotDir, without creating anything (checked before kubectl runs). */
export function checkSnapshotDir(dir: string): PreviousSnapshot | null {
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    return null;
  }
  if (!stat.isDirectory()) throw new SnapshotDirError(`${dir}: exists and is not a directory`);
  // A private temporary directory left by an interrupted collect does not count.
  const entries = readdirSync(dir).filter((e) => !TMP_DIR.test(e));
  if (entries.length === 0) return null;
  if (!entries.includes(MARKER)) {
    throw new SnapshotDirError(`${dir}: the directory is not empty and holds no ${MARKER}: collect writes only into a new or empty directory, or over an earlier snapshot`);
  }
  let marker: unknown;
  try {
    marker = JSON.parse(readFileSync(path.join(dir, MARKER), "utf8"));
  } catch (e) {
    throw new SnapshotDirError(`${dir}/${MARKER}: not a readable snapshot marker (${(e as Error).message}): remove it or choose another directory`);
  }
  const m = (marker ?? {}) as { files?: unknown; dirs?: unknown };
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && isSafeRelative(x)) : []);
  return { files: strings(m.files), dirs: strings(m.dirs) };
}

/** A relative POSIX path that stays inside the directory: no absolute path, no `..`, no empty or `.` segment. */
export function isSafeRelative(rel: string): boolean {
  if (rel === "" || rel.startsWith("/") || rel.includes("\\") || rel.includes("\0")) return false;
  return rel.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

export class SnapshotWriter {
  private readonly written = new Set<string>();
  private readonly dirs = new Set<string>();
  private readonly tmpDir: string;
  private counter = 0;

  constructor(readonly root: string) {
    this.tmpDir = path.join(root, `.kube-netlint-collect-${process.pid}.tmp`);
  }

  /** Write one file atomically at a path relative to the snapshot root. */
  write(rel: string, content: string | Buffer): void {
    if (!isSafeRelative(rel)) throw new SnapshotDirError(`refusing to write outside the snapshot directory: ${rel}`);
    const target = path.join(this.root, ...rel.split("/"));
    mkdirSync(this.tmpDir, { recursive: true });
    mkdirSync(path.dirname(target), { recursive: true });
    const tmp = path.join(this.tmpDir, `${++this.counter}.tmp`);
    try {
      writeViaRename(target, tmp, content);
    } catch (e) {
      throw new SnapshotDirError(`${target}: cannot write: ${(e as Error).message}`);
    }
    this.written.add(rel);
  }

  /** A directory that must exist even when empty (a node's empty CNI conf dir is a finding of its own). */
  ensureDir(rel: string): void {
    if (!isSafeRelative(rel)) throw new SnapshotDirError(`refusing to create a directory outside the snapshot directory: ${rel}`);
    mkdirSync(path.join(this.root, ...rel.split("/")), { recursive: true });
    this.dirs.add(rel);
  }

  get files(): string[] {
    return [...this.written].sort();
  }

  get emptyDirs(): string[] {
    return [...this.dirs].sort();
  }

  /**
   * Remove what an earlier snapshot wrote and this one did not (a node that is gone, a forbidden
   * resource), and the directories that leaves empty; then the private temporary directory.
   */
  removeStale(previous: PreviousSnapshot | null): string[] {
    const removed: string[] = [];
    const keepDirs = new Set<string>();
    for (const rel of [...this.written, ...this.dirs]) {
      const parts = rel.split("/");
      for (let i = 1; i <= parts.length; i++) keepDirs.add(parts.slice(0, i).join("/"));
    }
    const candidates = new Set<string>();
    for (const rel of previous?.files ?? []) {
      if (this.written.has(rel) || rel === MARKER) continue;
      const abs = path.join(this.root, ...rel.split("/"));
      try {
        if (statSync(abs).isFile()) {
          unlinkSync(abs);
          removed.push(rel);
        }
      } catch {
        /* already gone */
      }
      candidates.add(path.posix.dirname(rel));
    }
    for (const rel of previous?.dirs ?? []) candidates.add(rel);
    // Deepest first, so that emptied parents go too; never a directory this snapshot uses.
    for (const start of [...candidates].sort((a, b) => b.length - a.length)) {
      let rel = start;
      while (rel !== "." && rel !== "" && !keepDirs.has(rel)) {
        const abs = path.join(this.root, ...rel.split("/"));
        try {
          if (readdirSync(abs).length > 0) break;
          rmdirSync(abs);
        } catch {
          break;
        }
        rel = path.posix.dirname(rel);
      }
    }
    this.cleanup();
    return removed;
  }

  /** Remove the private temporary directory (also after a failure), and any an interrupted collect left. */
  cleanup(): void {
    if (existsSync(this.tmpDir)) rmSync(this.tmpDir, { recursive: true, force: true });
    let entries: string[] = [];
    try {
      entries = readdirSync(this.root);
    } catch {
      return;
    }
    for (const e of entries) if (TMP_DIR.test(e)) rmSync(path.join(this.root, e), { recursive: true, force: true });
  }
}
