/**
 * kube-netlint's command line. The published bin (dist/cli.cjs) is a small launcher that loads this
 * module's bundle with V8's code cache and calls main(). Nothing else imports from src/cli.
 */
import { fstatSync, statSync, writeSync } from "node:fs";
import { run, type Io } from "./run.js";

/**
 * Whether fd is a terminal. Only a character device can be one: pipes and files (CI, pre-commit,
 * redirections) are told apart with one fstat, without loading node:tty (which loads net and the
 * streams: a few ms of a run on one file).
 */
function isTerminal(fd: 1 | 2): boolean {
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
function fdWriter(fd: 1 | 2, stream: () => NodeJS.WriteStream): (s: string) => void {
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

function processIo(): Io {
  const stdoutIsTTY = isTerminal(1);
  const stderrIsTTY = isTerminal(2);
  return {
    stdout: stdoutIsTTY ? (s) => process.stdout.write(s) : fdWriter(1, () => process.stdout),
    stderr: stderrIsTTY ? (s) => process.stderr.write(s) : fdWriter(2, () => process.stderr),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    isTTY: stdoutIsTTY,
    stderrIsTTY,
    cwd: process.cwd(),
    env: process.env,
  };
}

export function main(argv: string[] = process.argv.slice(2)): void {
  void run(argv, processIo()).then((code) => {
    process.exitCode = code;
  });
}

/**
 * Runs the CLI once over some paths with every output discarded, so that the build can record V8's
 * code cache of the functions a real run compiles. Writes nothing.
 */
export async function warmUp(paths: string[]): Promise<void> {
  const quiet: Io = { ...processIo(), stdout: () => {}, stderr: () => {}, isTTY: false, stderrIsTTY: false, readStdin: async () => "" };
  await run(["--no-config", "--no-progress", "-f", "compact", ...paths], quiet);
}
