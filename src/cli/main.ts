/**
 * kube-netlint's command line. The published bin (dist/cli.cjs) is a small launcher that loads this
 * module's bundle with V8's code cache and calls main(). Nothing else imports from src/cli.
 */
import { run, type Io } from "./run.js";

function processIo(): Io {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
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
 * Runs the CLI once over a directory with every output discarded, so that the build can record V8's
 * code cache of the functions a real run compiles. Writes nothing.
 */
export async function warmUp(dir: string): Promise<void> {
  const quiet: Io = { ...processIo(), stdout: () => {}, stderr: () => {}, isTTY: false, stderrIsTTY: false, readStdin: async () => "" };
  await run(["--no-config", "--no-progress", "-f", "compact", dir], quiet);
}
