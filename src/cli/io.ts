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
  return (s) => {
    if (mode === "closed") return;
    if (mode === "stream") {
      stream().write(s);
      return;
    }
    const bytes = Buffer.from(s, "utf8");
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(fd, bytes, done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        mode = "stream";
        stream().write(bytes.subarray(done));
      } else if (code === "EPIPE") mode = "closed";
      else throw e;
    }
  };
}
