import type { Io } from "../../src/cli/run.js";

/** An Io that keeps what the CLI writes, for tests that call run() or collectCommand() in-process. */
export function memoryIo(opts: { cwd: string; env: NodeJS.ProcessEnv; stderrIsTTY?: boolean }): { io: Io; out: { stdout: string; stderr: string } } {
  const out = { stdout: "", stderr: "" };
  const io: Io = {
    stdout: (s) => void (out.stdout += s),
    stderr: (s) => void (out.stderr += s),
    readStdin: async () => "",
    isTTY: false,
    cwd: opts.cwd,
    env: opts.env,
  };
  if (opts.stderrIsTTY !== undefined) io.stderrIsTTY = opts.stderrIsTTY;
  return { io, out };
}
