/**
 * `kube-netlint collect`: dump a live cluster's networking artifacts with kubectl into a snapshot
 * directory (CLI.md "Snapshot layout") that `kube-netlint DIR` lints offline. Forbidden resources
 * are recorded in the marker and skipped; nothing is written outside DIR; Secrets are never read.
 */
import { yamlLibrary } from "../lazy-deps.js";
import { errorLine, isForbidden, isUnknownResourceType, Kubectl, type KubectlResult } from "./kubectl.js";
import { CNI_BIN_DIR, CNI_CONF_DIR, debugArgs, debugPodName, parseNodeFilesLog } from "./node-files.js";
import { logTargets, namespaceNames, type LogTarget } from "./pod-logs.js";
import { CNI_NAMESPACES, configMapStep, countArgs, isObjectName, LOG_TIMEOUT_MS, logStep, resourceSteps, WELL_KNOWN_CONFIGMAPS, type ResourceStep } from "./resources.js";
import { MARKER, prepareSnapshotDir, SnapshotWriter } from "./snapshot-dir.js";

export interface CollectOptions {
  dir: string;
  kubectl: Kubectl;
  /** Namespaces read besides kube-system. */
  extraNamespaces: string[];
  nodeFiles: boolean;
  /** Namespace and image of the `kubectl debug node` pods. */
  debugNamespace: string;
  debugImage: string;
  /** The context named with --context, if any (else `kubectl config current-context` says). */
  context: string | undefined;
  toolVersion: string;
  progress(line: string): void;
  now(): Date;
}

export interface Problem {
  /** What could not be read: `clusterroles`, `configmaps in kube-system`, `node-1 files`. */
  resource: string;
  namespace: string | null;
  command: string;
  message: string;
}

export interface SnapshotMarker {
  version: 1;
  tool: { name: "kube-netlint"; version: string };
  collectedAt: string;
  kubectlContext: string | null;
  serverVersion: string | null;
  counts: { pods: number | null; services: number | null };
  namespaces: string[];
  nodeFiles: boolean;
  forbidden: Problem[];
  errors: Problem[];
  /** Every file this snapshot wrote (a later collect into the same directory replaces exactly these). */
  files: string[];
  /** Directories that exist even when empty (a node's empty CNI conf dir). */
  dirs: string[];
}

export interface CollectOutcome {
  marker: SnapshotMarker;
  /** Files an earlier snapshot in DIR had and this one removed. */
  removed: string[];
}

/** The cluster cannot be reached, or DIR cannot be used: nothing useful was collected. */
export class CollectFailure extends Error {
  override readonly name = "CollectFailure";
}

const DEBUG_WAIT = "120s";

/** kubectl logs answers for a container that has no such log: not a failure (Troubleshoot skips these too). */
const NO_LOG = /is waiting to start|PodInitializing|ContainerCreating|previous terminated container .* not found|does not have a host assigned/;

export async function collect(options: CollectOptions): Promise<CollectOutcome> {
  const k = options.kubectl;
  const show = (args: readonly string[]) => ["kubectl", ...k.globalArgs, ...args].map(shellWord).join(" ");
  const forbidden: Problem[] = [];
  const errors: Problem[] = [];
  const requested = [...new Set(["kube-system", ...options.extraNamespaces])];

  // Who and what: the context, then the server (which also proves it can be reached) before anything is written.
  let context: string | null = options.context ?? null;
  if (context === null) {
    const r = await k.run(["config", "current-context"]);
    context = r.code === 0 && r.stdout.trim() ? r.stdout.trim() : null;
  }
  options.progress(`context ${context ?? "(none: kubectl's in-cluster or default configuration)"}`);
  const versionArgs = ["version", "-o", "json"];
  const version = await k.run(versionArgs);
  const serverVersion = parseServerVersion(version.stdout);
  if (serverVersion === null) {
    throw new CollectFailure(`cannot reach the cluster (${show(versionArgs)}): ${errorLine(version)}`);
  }
  options.progress(`server ${serverVersion}`);

  const previous = prepareSnapshotDir(options.dir);
  const writer = new SnapshotWriter(options.dir);
  try {
    /** Record a failed call in the marker; the words for the progress line. */
    const record = (step: { resource: string; namespace: string | null; args: readonly string[] }, r: KubectlResult): { forbidden: boolean; text: string } => {
      const problem: Problem = { resource: step.resource, namespace: step.namespace, command: show(step.args), message: errorLine(r) };
      if (isForbidden(r)) {
        forbidden.push(problem);
        return { forbidden: true, text: `forbidden: ${problem.message} (recorded in ${MARKER}; going on)` };
      }
      errors.push(problem);
      return { forbidden: false, text: `failed: ${problem.message}` };
    };

    // The namespaces a CNI installs itself into, when the cluster has them: their pods and events are the CNI's.
    const namespaces = [...requested];
    {
      const args = ["get", "namespaces", "-o", "name"];
      const r = await k.run(args);
      if (r.code === 0) {
        const found = CNI_NAMESPACES.filter((ns) => namespaceNames(r.stdout).includes(ns) && !namespaces.includes(ns));
        namespaces.push(...found);
        options.progress(`namespaces: ${found.length ? `also ${found.join(", ")} (a CNI's)` : "no CNI namespace besides those named"}`);
      } else options.progress(`namespaces: ${record({ resource: "namespaces", namespace: null, args }, r).text}`);
    }

    // One progress line per step, when it is done.
    const steps = resourceSteps(namespaces);
    let nodesYaml: string | null = null;
    const podsYaml: string[] = [];
    for (const [i, step] of steps.entries()) {
      const title = `[${i + 1}/${steps.length}] ${step.resource}${step.namespace ? ` in ${step.namespace}` : step.args.includes("--all-namespaces") ? " in all namespaces" : ""}`;
      const r = await k.run(step.args);
      if (r.code === 0) {
        writer.write(step.file, r.stdout);
        options.progress(`${title}: ${countItems(r.stdout)} -> ${step.file}`);
        if (step.resource === "nodes") nodesYaml = r.stdout;
        if (step.resource === "pods") podsYaml.push(r.stdout);
        continue;
      }
      if (isUnknownResourceType(r)) {
        options.progress(`${title}: skipped, the server does not serve ${step.resource}`);
        continue;
      }
      const outcome = record(step, r);
      options.progress(`${title}: ${outcome.text}`);
      if (outcome.forbidden && step.resource === "configmaps" && step.namespace === "kube-system") await fetchWellKnownConfigMaps();
    }

    async function fetchWellKnownConfigMaps(): Promise<void> {
      for (const name of WELL_KNOWN_CONFIGMAPS) {
        const step: ResourceStep = configMapStep(name);
        const title = `  ConfigMap ${name} in kube-system on its own`;
        const r = await k.run(step.args);
        if (r.code !== 0) options.progress(`${title}: ${record(step, r).text}`);
        else if (r.stdout.trim() === "") options.progress(`${title}: not in the cluster`);
        else {
          writer.write(step.file, r.stdout);
          options.progress(`${title}: -> ${step.file}`);
        }
      }
    }

    await collectLogs(podsYaml.flatMap(logTargets));

    /** The bounded logs of CoreDNS, kube-proxy and CNI pods that are not Running and Ready: current, and previous for a restarted container. */
    async function collectLogs(targets: LogTarget[]): Promise<void> {
      const steps = targets.flatMap((t) => t.containers.flatMap((c) => [logStep(t.namespace, t.pod, c, false), ...(t.restarted.includes(c) ? [logStep(t.namespace, t.pod, c, true)] : [])]));
      for (const [i, step] of steps.entries()) {
        const title = `logs [${i + 1}/${steps.length}] ${step.resource.replace(/^logs of /, "")} in ${step.namespace}`;
        const r = await k.run(step.args, { timeoutMs: LOG_TIMEOUT_MS });
        if (r.code === 0) {
          writer.write(step.file, r.stdout);
          options.progress(`${title}: ${r.stdout.length} bytes -> ${step.file}`);
        } else if (NO_LOG.test(r.stderr)) options.progress(`${title}: none (${errorLine(r)})`);
        else options.progress(`${title}: ${record(step, r).text}`);
      }
    }

    const counts: SnapshotMarker["counts"] = { pods: null, services: null };
    for (const what of ["pods", "services"] as const) {
      const args = countArgs(what);
      const title = `counting ${what} in all namespaces`;
      const r = await k.run(args);
      if (r.code !== 0) {
        options.progress(`${title}: ${record({ resource: `${what} (count)`, namespace: null, args }, r).text}`);
        continue;
      }
      counts[what] = r.stdout.split(/\r?\n/).filter((l) => l.trim() !== "").length;
      options.progress(`${title}: ${counts[what]}`);
    }

    if (options.nodeFiles) {
      const names = nodesYaml === null ? null : nodeNames(nodesYaml);
      if (names === null) options.progress("node files: skipped, the Node list could not be read");
      else await collectNodeFiles(names);
    }

    async function collectNodeFiles(names: string[]): Promise<void> {
      const ns = options.debugNamespace;
      for (const [i, node] of names.entries()) {
        const title = `node files [${i + 1}/${names.length}] ${node} (kubectl debug node/${node} in namespace ${ns})`;
        const step = { resource: `node files of ${node}`, namespace: ns };
        const startArgs = debugArgs(node, ns, options.debugImage);
        const started = await k.run(startArgs);
        const pod = started.code === 0 ? debugPodName(started.stdout) : null;
        if (!pod) {
          if (started.code === 0) {
            errors.push({ ...step, command: show(startArgs), message: "kubectl debug did not say which pod it created" });
            options.progress(`${title}: failed: kubectl debug did not say which pod it created`);
            continue;
          }
          const outcome = record({ ...step, args: startArgs }, started);
          // The same permission or admission rule refuses every node: stop asking.
          options.progress(`${title}: ${outcome.text}${outcome.forbidden && i + 1 < names.length ? "; the other nodes are not tried" : ""}`);
          if (outcome.forbidden) return;
          continue;
        }
        const waitArgs = ["wait", `pod/${pod.pod}`, `--namespace=${ns}`, "--for=jsonpath={.status.phase}=Succeeded", `--timeout=${DEBUG_WAIT}`];
        const waited = await k.run(waitArgs);
        const logArgs = ["logs", `pod/${pod.pod}`, `--namespace=${ns}`, `--container=${pod.container}`];
        const log = waited.code === 0 ? await k.run(logArgs) : null;
        const deleteArgs = ["delete", `pod/${pod.pod}`, `--namespace=${ns}`, "--wait=false"];
        const deleted = await k.run(deleteArgs);
        const leftover = deleted.code !== 0 ? `; could not delete the debug pod ${pod.pod} in ${ns} (${errorLine(deleted)}): delete it by hand` : "";
        if (waited.code !== 0) options.progress(`${title}: ${record({ ...step, args: waitArgs }, waited).text}${leftover}`);
        else if (log && log.code !== 0) options.progress(`${title}: ${record({ ...step, args: logArgs }, log).text}${leftover}`);
        else if (log) options.progress(`${title}: ${writeNodeFiles(node, log.stdout, show(logArgs))}${leftover}`);
      }
    }

    /** Write what the debug pod printed; the words for the progress line. */
    function writeNodeFiles(node: string, log: string, command: string): string {
      const parsed = parseNodeFilesLog(log);
      const base = `nodes/${node}`;
      for (const d of parsed.dirs) writer.ensureDir(`${base}${d}`);
      for (const f of parsed.files) writer.write(`${base}${f.path}`, f.content);
      if (parsed.binaries !== null) writer.write(`${base}${CNI_BIN_DIR}.txt`, parsed.binaries.map((b) => b + "\n").join(""));
      const written = parsed.files.length + (parsed.binaries !== null ? 1 : 0);
      const why = (p: string, status: string) => (status !== "missing" ? status : p.startsWith(CNI_CONF_DIR + "/") ? "a dangling symbolic link, not copied" : "not on the node");
      const notes = parsed.skipped.map((s) => `${s.path}: ${why(s.path, s.status)}`);
      if (!parsed.complete) {
        errors.push({ resource: `node files of ${node}`, namespace: options.debugNamespace, command, message: "the debug pod's output ended early: the node's files may be incomplete" });
        notes.push("the debug pod's output ended early (recorded as an error)");
      }
      return `${written} file${written === 1 ? "" : "s"} -> ${base}/${notes.length ? ` (${notes.join("; ")})` : ""}`;
    }

    const marker: SnapshotMarker = {
      version: 1,
      tool: { name: "kube-netlint", version: options.toolVersion },
      collectedAt: options.now().toISOString(),
      kubectlContext: context,
      serverVersion,
      counts,
      namespaces,
      nodeFiles: options.nodeFiles,
      forbidden,
      errors,
      files: writer.files,
      dirs: writer.emptyDirs,
    };
    const removed = writer.removeStale(previous);
    writer.write(MARKER, JSON.stringify(marker, null, 2) + "\n");
    return { marker, removed };
  } finally {
    writer.cleanup();
  }
}

/** One argument as a POSIX shell would need it to copy the command from the marker (long scripts shortened). */
function shellWord(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  const shown = arg.length > 60 ? `${arg.slice(0, 57)}...` : arg;
  return `'${shown.replace(/'/g, `'\\''`)}'`;
}

/** `serverVersion.gitVersion` of `kubectl version -o json`; null when kubectl got no answer from the server. */
export function parseServerVersion(stdout: string): string | null {
  try {
    const v = JSON.parse(stdout) as { serverVersion?: { gitVersion?: unknown } };
    return typeof v.serverVersion?.gitVersion === "string" ? v.serverVersion.gitVersion : null;
  } catch {
    return null;
  }
}

function countItems(yamlText: string): string {
  const n = (yamlText.match(/^- /gm) ?? []).length;
  return n === 1 ? "1 object" : `${n} objects`;
}

/** Names of the Nodes in `kubectl get nodes -o yaml`; names that are not safe as a directory name are left out. */
export function nodeNames(yamlText: string): string[] | null {
  let doc: unknown;
  try {
    doc = yamlLibrary().parse(yamlText);
  } catch {
    return null;
  }
  const items = (doc as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) return null;
  const names: string[] = [];
  for (const item of items) {
    const name = (item as { metadata?: { name?: unknown } } | null)?.metadata?.name;
    if (typeof name === "string" && isObjectName(name)) names.push(name);
  }
  return names;
}
