/**
 * A node's files through `kubectl debug node/NAME`: kubectl creates a pod on that node with the
 * node's root filesystem mounted at /host (every debug profile that node debugging uses does).
 * The pod runs one busybox `sh` script that prints each file base64-encoded between marker lines,
 * so that its log is the whole answer: collect waits for the pod to succeed, reads its log with
 * `kubectl logs`, and deletes it. Attaching instead would race with a short-lived container.
 * Symbolic links are followed the way the node sees them (an absolute target is read under /host).
 */

/** The files fetched from every node, at their paths on the node. */
export const NODE_FILES = [
  "/etc/resolv.conf",
  "/run/systemd/resolve/resolv.conf",
  "/var/lib/kubelet/config.yaml",
  "/var/lib/kubelet/kubeadm-flags.env",
] as const;
export const CNI_CONF_DIR = "/etc/cni/net.d";
export const CNI_BIN_DIR = "/opt/cni/bin";

/** Files larger than this are not fetched (a conf dir holds small JSON files). */
export const MAX_NODE_FILE_BYTES = 1_048_576;

const M = "--- kube-netlint";

/** The script the debug container runs as `sh -c SCRIPT kube-netlint /host`. Only payloads are base64, so no file content can forge a marker line. */
export const NODE_SCRIPT = `exec 2>/dev/null
R="$1"
M="${M}"
res() {
  out=""; rest="\${1#/}"; n=0
  while [ -n "$rest" ]; do
    c="\${rest%%/*}"
    if [ "$c" = "$rest" ]; then rest=""; else rest="\${rest#*/}"; fi
    case "$c" in ""|.) continue ;; ..) out="\${out%/*}"; continue ;; esac
    if [ -L "$R$out/$c" ]; then
      n=$((n+1)); [ "$n" -gt 40 ] && return 1
      t="$(readlink "$R$out/$c")"
      case "$t" in /*) out="" ;; esac
      rest="\${t#/}\${rest:+/$rest}"
    else
      out="$out/$c"
    fi
  done
  printf '%s\\n' "$R$out"
}
file() {
  p="$(res "$1")" || { echo "$M file $1 loop"; return; }
  if [ -f "$p" ]; then
    if [ "$(wc -c < "$p")" -gt ${MAX_NODE_FILE_BYTES} ]; then echo "$M file $1 toolarge"; return; fi
    echo "$M file $1 ok"; base64 "$p"; echo "$M end"
  elif [ -e "$p" ]; then echo "$M file $1 notfile"
  else echo "$M file $1 missing"; fi
}
dir() {
  d="$(res "$1")" || { echo "$M dir $1 loop"; return; }
  if [ ! -d "$d" ]; then echo "$M dir $1 missing"; return; fi
  echo "$M dir $1 ok"
  ls -A "$d" | while IFS= read -r e; do file "$1/$e"; done
}
list() {
  d="$(res "$1")" || { echo "$M list $1 loop"; return; }
  if [ ! -d "$d" ]; then echo "$M list $1 missing"; return; fi
  echo "$M list $1 ok"; ls -A "$d" | base64; echo "$M end"
}
${NODE_FILES.map((f) => `file ${f}`).join("\n")}
dir ${CNI_CONF_DIR}
list ${CNI_BIN_DIR}
echo "$M done"
exit 0
`;

/** `kubectl debug` arguments that start the pod on a node (after the global flags). */
export function debugArgs(node: string, namespace: string, image: string): string[] {
  return ["debug", `node/${node}`, `--namespace=${namespace}`, `--image=${image}`, "--attach=false", "--", "sh", "-c", NODE_SCRIPT, "kube-netlint", "/host"];
}

/** The pod kubectl created: `Creating debugging pod node-debugger-NODE-x7k2p with container debugger on node NODE.` */
export function debugPodName(stdout: string): { pod: string; container: string } | null {
  const m = /Creating debugging pod (\S+) with container (\S+) on node /.exec(stdout);
  return m ? { pod: m[1]!, container: m[2]! } : null;
}

export interface NodeFile {
  /** Path on the node. */
  path: string;
  content: Buffer;
}

export interface NodeFilesResult {
  files: NodeFile[];
  /** Directories that exist on the node (kept even when empty). */
  dirs: string[];
  /** The names in the CNI bin dir, or null when it is missing. */
  binaries: string[] | null;
  /** Files the node does not have, or that could not be fetched, with why. */
  skipped: { path: string; status: string }[];
  /** The script ran to its end (else the log was cut). */
  complete: boolean;
}

/** A conf dir entry name that is a plain file name (nothing that could leave the directory). */
function isPlainName(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && !name.includes("/") && !name.includes("\0") && name.length <= 255;
}

/** Whether a path reported by the script is one this collector asked for. */
export function isRequestedPath(p: string): boolean {
  if ((NODE_FILES as readonly string[]).includes(p)) return true;
  if (p.startsWith(CNI_CONF_DIR + "/")) return isPlainName(p.slice(CNI_CONF_DIR.length + 1));
  return p === CNI_CONF_DIR || p === CNI_BIN_DIR;
}

/** Read the debug pod's log. Lines that are not markers or payload are ignored; paths that were not asked for are dropped. */
export function parseNodeFilesLog(log: string): NodeFilesResult {
  const result: NodeFilesResult = { files: [], dirs: [], binaries: null, skipped: [], complete: false };
  const lines = log.split(/\r?\n/);
  const header = new RegExp(`^${M} (file|dir|list) (/.*) (ok|missing|notfile|toolarge|loop)$`);
  let current: { kind: "file" | "list"; path: string; payload: string[] } | null = null;
  for (const line of lines) {
    if (current) {
      if (line === `${M} end`) {
        const bytes = Buffer.from(current.payload.join(""), "base64");
        if (current.kind === "file") result.files.push({ path: current.path, content: bytes });
        else result.binaries = bytes.toString("utf8").split("\n").map((s) => s.replace(/\r$/, "")).filter((s) => isPlainName(s));
        current = null;
      } else if (/^[A-Za-z0-9+/=]*$/.test(line)) {
        current.payload.push(line);
      } else {
        // A cut or garbled block: drop it rather than write a wrong file.
        result.skipped.push({ path: current.path, status: "garbled" });
        current = null;
      }
      continue;
    }
    if (line === `${M} done`) {
      result.complete = true;
      continue;
    }
    const m = header.exec(line);
    if (!m) continue;
    const [, kind, p, status] = m as unknown as [string, "file" | "dir" | "list", string, string];
    if (!isRequestedPath(p)) continue;
    if (status !== "ok") {
      result.skipped.push({ path: p, status });
      continue;
    }
    if (kind === "dir") result.dirs.push(p);
    else current = { kind, path: p, payload: [] };
  }
  if (current) result.skipped.push({ path: current.path, status: "cut" });
  return result;
}
