/**
 * `kube-netlint collect -o DIR`: options and exit codes. 0: the snapshot is written (resources that
 * RBAC forbids are recorded in its marker); 1: written, but some other kubectl call failed (see the
 * marker's `errors`); 2: nothing collected (bad usage, DIR refused, kubectl missing, cluster unreachable).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { collect, CollectFailure } from "../collect/collect.js";
import { Kubectl, KubectlMissingError } from "../collect/kubectl.js";
import { isObjectName } from "../collect/resources.js";
import { checkSnapshotDir, MARKER, SnapshotDirError } from "../collect/snapshot-dir.js";
import { TOOL_VERSION } from "../engine/lint.js";
import type { Io } from "./run.js";

const USAGE = `Usage: kube-netlint collect -o DIR [options]

Dump a live cluster's networking artifacts with kubectl into DIR, then lint them offline with
kube-netlint DIR. DIR must be new, empty, or an earlier snapshot (which is then replaced).

Options:
  -o, --output DIR          the snapshot directory (required)
      --kubeconfig FILE     passed to kubectl
      --context NAME        passed to kubectl
  -n, --namespace NS        also collect this namespace's ConfigMaps, Deployments, DaemonSets,
                            Services, Endpoints, EndpointSlices and ServiceAccounts (repeatable;
                            kube-system always is), e.g. kube-flannel or calico-system
      --node-files          also fetch each node's resolv.conf, kubelet config, CNI conf dir and
                            CNI bin listing through kubectl debug node/NAME (creates a pod per node)
      --debug-namespace NS  namespace of the kubectl debug pods (default: default)
      --image IMAGE         image of the kubectl debug pods (default: busybox:1.36)
      --kubectl PATH        the kubectl to run (default: kubectl on PATH)
  -h, --help                this help

Exit codes: 0 snapshot written (forbidden resources are recorded in ${MARKER});
1 written, but some kubectl calls failed; 2 nothing collected.
See docs/collect.md for the RBAC permissions collect needs.
`;

export const OPTIONS = {
  output: { type: "string", short: "o" },
  kubeconfig: { type: "string" },
  context: { type: "string" },
  namespace: { type: "string", short: "n", multiple: true },
  "node-files": { type: "boolean" },
  "debug-namespace": { type: "string" },
  image: { type: "string" },
  kubectl: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function usageError(io: Io, message: string): number {
  io.stderr(`kube-netlint collect: ${message} (kube-netlint collect --help lists the options)\n`);
  return 2;
}

export async function collectCommand(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, "").replace(/^Unknown option '(.*)'$/, "unknown option $1");
    return usageError(io, msg);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (positionals.length) return usageError(io, `unexpected argument ${positionals[0]}: name the snapshot directory with -o DIR`);
  if (values.output === undefined || values.output === "") return usageError(io, "-o DIR is required: the directory to write the snapshot into");
  for (const [flag, v] of [["--kubeconfig", values.kubeconfig], ["--context", values.context], ["--kubectl", values.kubectl], ["--image", values.image]] as const) {
    if (v === "") return usageError(io, `${flag} needs a value`);
  }
  for (const ns of [...(values.namespace ?? []), ...(values["debug-namespace"] !== undefined ? [values["debug-namespace"]] : [])]) {
    if (!isObjectName(ns) || ns.length > 63) return usageError(io, `namespace ${JSON.stringify(ns)}: expected a Kubernetes namespace name (lower-case letters, digits and '-')`);
  }
  if (values.image !== undefined && /\s/.test(values.image)) return usageError(io, `--image ${JSON.stringify(values.image)}: expected an image reference`);

  const dir = path.resolve(io.cwd, values.output);
  try {
    checkSnapshotDir(dir);
  } catch (e) {
    if (e instanceof SnapshotDirError) return usageError(io, e.message);
    throw e;
  }
  const kubectl = new Kubectl({
    command: values.kubectl !== undefined ? path.resolve(io.cwd, values.kubectl) : "kubectl",
    ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}),
    ...(values.context !== undefined ? { context: values.context } : {}),
    env: io.env,
    cwd: io.cwd,
  });
  const progress = (line: string) => io.stderr(`kube-netlint collect: ${line}\n`);
  try {
    const { marker, removed } = await collect({
      dir,
      kubectl,
      extraNamespaces: values.namespace ?? [],
      nodeFiles: values["node-files"] === true,
      debugNamespace: values["debug-namespace"] ?? "default",
      debugImage: values.image ?? "busybox:1.36",
      context: values.context,
      toolVersion: TOOL_VERSION,
      progress,
      now: () => new Date(),
    });
    const shown = values.output;
    if (removed.length) progress(`removed ${removed.length} file${removed.length === 1 ? "" : "s"} of the earlier snapshot that this one no longer has`);
    const notes = [
      marker.forbidden.length ? `${marker.forbidden.length} forbidden` : "",
      marker.errors.length ? `${marker.errors.length} failed` : "",
    ].filter(Boolean);
    progress(`wrote ${marker.files.length} files to ${shown}${notes.length ? ` (${notes.join(", ")}: see ${MARKER})` : ""}; lint it with: kube-netlint ${shown}`);
    return marker.errors.length ? 1 : 0;
  } catch (e) {
    if (e instanceof KubectlMissingError) {
      io.stderr(`kube-netlint collect: ${values.kubectl !== undefined ? `--kubectl ${values.kubectl}: cannot run it (${e.message})` : "kubectl is not on PATH: install it or name it with --kubectl PATH"}\n`);
      return 2;
    }
    if (e instanceof CollectFailure || e instanceof SnapshotDirError) {
      io.stderr(`kube-netlint collect: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
