/**
 * Container logs as snapshots keep them, read as bounded tails: a log of many megabytes costs
 * LOG_TAIL_BYTES of memory, and its lines keep their numbers in the whole file (the skipped part
 * is counted in chunks, never held). Binary content is refused with a notice; invalid UTF-8 is
 * decoded with replacement characters.
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync } from "node:fs";
import { LineIndex } from "../../parsers/lines.js";
import { leadsOutside, type ReadPolicy } from "../read-policy.js";
import type { SourceFile } from "../types.js";
import type { ContainerLog } from "./types.js";

/** How much of the end of a log file is read. A crash's cause is in its last lines. */
export const LOG_TAIL_BYTES = 256 * 1024;
const CHUNK = 1024 * 1024;

/** Line numbers of a text that starts at line `first` of its file. */
class TailLineIndex extends LineIndex {
  constructor(text: string, private readonly skipped: number) {
    super(text);
  }
  override position(offset: number): { line: number; column: number } {
    const p = super.position(offset);
    return { line: p.line + this.skipped, column: p.column };
  }
  override lineStart(line: number): number {
    return super.lineStart(line - this.skipped);
  }
  override lineEnd(line: number): number {
    return super.lineEnd(line - this.skipped);
  }
}

export type TailResult = { file: SourceFile; truncated: boolean } | { error: string; missing?: boolean };

/** The last `max` bytes of a file, from the first line that starts inside them. */
export function readTail(absPath: string, display: string, policy: ReadPolicy | undefined, max = LOG_TAIL_BYTES): TailResult {
  let fd: number;
  try {
    fd = openSync(absPath, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { error: "no such file", missing: true };
    if (code !== "ELOOP") return { error: code === "EACCES" || code === "EPERM" ? "permission denied" : String((e as Error).message) };
    const outside = policy ? leadsOutside(absPath, policy) : null;
    if (outside) return { error: `a symbolic link that leads outside the input (to ${outside}): not followed` };
    try {
      fd = openSync(absPath, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    } catch (e2) {
      return { error: String((e2 as Error).message), missing: (e2 as NodeJS.ErrnoException).code === "ENOENT" };
    }
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { error: "not a regular file" };
    const size = st.size;
    const from = Math.max(0, size - max);
    // Count the lines of the part that is not read, a chunk at a time.
    let skippedLines = 0;
    if (from > 0) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, from));
      let pos = 0;
      while (pos < from) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, from - pos), pos);
        if (n <= 0) break;
        for (let i = buf.indexOf(10, 0); i !== -1 && i < n; i = buf.indexOf(10, i + 1)) skippedLines++;
        pos += n;
      }
    }
    const tail = Buffer.alloc(size - from);
    let got = 0;
    while (got < tail.length) {
      const n = readSync(fd, tail, got, tail.length - got, from + got);
      if (n <= 0) break;
      got += n;
    }
    let body = tail.subarray(0, got);
    if (from > 0) {
      // Start at a whole line: the part before the first line break belongs to a line already counted.
      const nl = body.indexOf(10);
      if (nl === -1) body = body.subarray(body.length);
      else {
        body = body.subarray(nl + 1);
        skippedLines++;
      }
    }
    let nul = 0;
    for (let i = 0; i < Math.min(body.length, 65536); i++) if (body[i] === 0) nul++;
    if (nul > 16) return { error: "binary content, not a text log" };
    const text = body.toString("utf8");
    const file: SourceFile = { path: display, absPath, text, lines: from > 0 ? new TailLineIndex(text, skippedLines) : new LineIndex(text), format: "text" };
    return { file, truncated: from > 0 };
  } catch (e) {
    return { error: String((e as Error).message) };
  } finally {
    closeSync(fd);
  }
}

const START = /^==== START logs for container ([^\s/]{1,253}) of pod ([^\s/]{1,253})\/([^\s/]{1,253}) ====\r?$/gm;
const END = /^==== END logs for container ([^\s/]{1,253}) of pod ([^\s/]{1,253})\/([^\s/]{1,253}) ====\r?$/gm;
const ERROR_LINE = /^(?:Create log request error|Request log error): (.*)$/m;

/**
 * The sections of a `kubectl cluster-info dump` logs.txt: one per container, between START and END
 * lines (clusterinfo_dump.go). A tail may begin inside a section: its container is the END line's.
 */
export function dumpLogSections(file: SourceFile, truncated: boolean): ContainerLog[] {
  const text = file.text;
  const out: ContainerLog[] = [];
  const marks: { at: number; after: number; kind: "start" | "end"; container: string }[] = [];
  for (const m of text.matchAll(START)) marks.push({ at: m.index!, after: m.index! + m[0].length + 1, kind: "start", container: m[1]! });
  for (const m of text.matchAll(END)) marks.push({ at: m.index!, after: m.index! + m[0].length + 1, kind: "end", container: m[1]! });
  marks.sort((a, b) => a.at - b.at);
  let open: { container: string; start: number } | null = truncated ? { container: "", start: 0 } : null;
  for (const mk of marks) {
    if (mk.kind === "start") {
      open = { container: mk.container, start: Math.min(mk.after, text.length) };
      continue;
    }
    if (open && (open.container === mk.container || open.container === "")) {
      out.push(section(file, mk.container, open.start, mk.at, truncated && open.container === ""));
    }
    open = null;
  }
  // A section without its END line (the dump was cut short).
  if (open && open.container) out.push(section(file, open.container, open.start, text.length, false));
  return out;
}

function section(file: SourceFile, container: string, start: number, end: number, cut: boolean): ContainerLog {
  const body = file.text.slice(start, end);
  const err = ERROR_LINE.exec(body);
  // A section that holds only kubectl's error line has no log.
  const onlyError = err && body.trim() === err[0].trim();
  return { container, previous: false, file, start, end, truncated: cut, error: onlyError ? err[1]! : null };
}
