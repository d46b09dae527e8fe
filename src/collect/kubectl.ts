/** Running kubectl: an argument array through spawn (never a shell), the user's kubeconfig and context passed through. */
import { spawn } from "node:child_process";

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /** The kubectl executable: a path, or a name looked up on env.PATH. */
  command: string;
  kubeconfig?: string;
  context?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Milliseconds before one kubectl call is killed. */
  timeoutMs?: number;
}

/** kubectl could not be started at all (not installed, not executable). */
export class KubectlMissingError extends Error {
  override readonly name = "KubectlMissingError";
}

export class Kubectl {
  constructor(private readonly options: KubectlOptions) {}

  /** The global flags that every call carries, before the verb. */
  get globalArgs(): string[] {
    const g: string[] = [];
    if (this.options.kubeconfig !== undefined) g.push(`--kubeconfig=${this.options.kubeconfig}`);
    if (this.options.context !== undefined) g.push(`--context=${this.options.context}`);
    return g;
  }

  run(args: readonly string[], call: { timeoutMs?: number } = {}): Promise<KubectlResult> {
    const argv = [...this.globalArgs, ...args];
    return new Promise((resolve, reject) => {
      let child;
      try {
        child = spawn(this.options.command, argv, {
          cwd: this.options.cwd,
          env: this.options.env,
          shell: false,
          stdio: ["ignore", "pipe", "pipe"],
          timeout: call.timeoutMs ?? this.options.timeoutMs ?? 300_000,
          windowsHide: true,
        });
      } catch (e) {
        reject(new KubectlMissingError(`${this.options.command}: ${(e as Error).message}`));
        return;
      }
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (b: Buffer) => out.push(b));
      child.stderr.on("data", (b: Buffer) => err.push(b));
      child.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code === "ENOENT" || e.code === "EACCES") reject(new KubectlMissingError(`${this.options.command}: ${e.code === "ENOENT" ? "not found" : "not executable"}`));
        else reject(e);
      });
      child.on("close", (code, signal) => {
        const stderr = Buffer.concat(err).toString("utf8");
        resolve({
          code: code ?? 1,
          stdout: Buffer.concat(out).toString("utf8"),
          stderr: signal ? `${stderr}kubectl was stopped by ${signal} (timed out)\n` : stderr,
        });
      });
    });
  }
}

/** kubectl's refusal by RBAC: `Error from server (Forbidden): ... is forbidden: User "..." cannot list ...`. */
export function isForbidden(r: KubectlResult): boolean {
  return r.code !== 0 && /\bforbidden\b/i.test(r.stderr);
}

/** The server does not serve that resource type (an old cluster without EndpointSlices). */
export function isUnknownResourceType(r: KubectlResult): boolean {
  return r.code !== 0 && /the server doesn't have a resource type|no matches for kind/i.test(r.stderr);
}

/** The first line of kubectl's error output that says something (klog noise and warnings skipped). */
export function errorLine(r: KubectlResult): string {
  const lines = r.stderr.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const useful = lines.find((l) => /^(error|Error from server)/.test(l)) ?? lines.find((l) => !/^[EWI]\d{4} /.test(l) && !/^Warning:/.test(l)) ?? lines[0];
  return useful ?? `kubectl exited with code ${r.code}`;
}
