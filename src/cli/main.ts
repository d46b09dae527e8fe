/**
 * kube-netlint's command line. The published bin (dist/cli.cjs) is a small launcher that loads this
 * module's bundle with V8's code cache and calls main(). Nothing else imports from src/cli.
 */
import { fdWriter, isTerminal } from "./io.js";
import { run, type Io } from "./run.js";

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
