/** The process's output descriptors, without Node's stream objects where they are not needed. */
import { fstatSync, statSync, writeSync } from "node:fs";

/**
 * Whether fd is a terminal. Only a character device can be one: pipes and files (CI, pre-commit,
 * redirections) are told apart with one fstat, without loading node:tty (which loads net and the
 * streams: a few ms of a run on one file).
 */
export function isTerminal(fd: number): boolean {
  try {
    const stat = fstatSync(fd);
    if (!stat.isCharacterDevice()) return false;
    // /dev/null, where output is thrown away, is a character device too.
    if (stat.rdev === statSync("/dev/null", { throwIfNoEntry: false })?.rdev) return false;
  } catch {
    return false;
  }
  return (require("node:tty") as typeof import("node:tty")).isatty(fd);
}

/**
 * Output to a pipe or file: written synchronously, without constructing process.stdout. A
 * non-blocking descriptor that is full (EAGAIN) hands the rest to the stream; a reader that went
 * away (EPIPE, `| head`) ends the output, not the run.
 */
export function fdWriter(fd: number, stream: () => { write(chunk: string | Uint8Array): unknown }): (s: string) => void {
  let mode: "sync" | "stream" | "closed" = "sync";
  // One buffer reused for every write (a report in pieces is hundreds of megabyte-sized writes: a
  // new Buffer each is external memory that V8 answers with full garbage collections).
  let buffer = Buffer.allocUnsafe(0);
  return (s) => {
    if (mode === "closed") return;
    if (mode === "stream") {
      stream().write(s);
      return;
    }
    // At most 3 bytes of UTF-8 per UTF-16 code unit: s always fits whole.
    if (s.length * 3 > buffer.length) buffer = Buffer.allocUnsafe(Math.max(s.length * 3, 1 << 16));
    const length = buffer.write(s, 0, "utf8");
    let done = 0;
    try {
      while (done < length) done += writeSync(fd, buffer, done, length - done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        mode = "stream";
        // A copy: the stream writes later, and the buffer is reused.
        stream().write(Buffer.from(buffer.subarray(done, length)));
      } else if (code === "EPIPE") mode = "closed";
      else throw e;
    }
  };
}
