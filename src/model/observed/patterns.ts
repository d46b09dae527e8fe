/**
 * The texts by which a broken cluster shows what is wrong: log lines, Node Ready messages, event
 * messages, scheduler messages. Data, one entry per known text, each with the upstream code (or
 * report) that emits it, the configuration rules that find its cause, and what to check when no
 * rule does. The rules read this table; nothing else matches these texts.
 * Research: ../shared/research/observed-state.md section 2.
 */

export type PatternSite =
  /** A CoreDNS container's log. */
  | "coredns-log"
  /** A kube-proxy container's log. */
  | "kube-proxy-log"
  /** A Node's Ready condition message (status False). */
  | "node-ready"
  /** A FailedCreatePodSandBox event's message. */
  | "sandbox"
  /** A pod's PodScheduled condition or FailedScheduling event message. */
  | "scheduling"
  /** Other pod events (FailedMount, Unhealthy). */
  | "pod-event"
  /** A container's termination reason (lastState.terminated.reason). */
  | "container-status";

export interface SymptomPattern {
  id: string;
  site: PatternSite;
  re: RegExp;
  /** What the text says happened, for the message. `$1`... are the pattern's groups. */
  meaning: string;
  /** Configuration rules whose findings are this cause (in the order they are named). */
  causeRules: readonly string[];
  /** What to check when no rule finds the cause. */
  next: string;
  /** The upstream code that writes the text (repo:path), or the reports it was seen in. */
  source: string;
}

export const SYMPTOM_PATTERNS: readonly SymptomPattern[] = [
  // ------------------------------------------------------------------ CoreDNS logs
  {
    id: "coredns-loop",
    site: "coredns-log",
    re: /plugin\/loop: Loop \(([^)]*)\) detected for zone "([^"]*)"/,
    meaning: "the loop plugin detected a forwarding loop ($1) for zone \"$2\"",
    causeRules: ["coredns/forward-loop", "kubelet/resolv-conf-loopback"],
    next: "CoreDNS forwards to itself: with `forward . /etc/resolv.conf` and dnsPolicy Default it uses the node's resolv.conf; a loopback nameserver there (systemd-resolved's 127.0.0.53) is CoreDNS's own pod. Point the kubelet's resolvConf at /run/systemd/resolve/resolv.conf or forward to upstream IPs; `kube-netlint collect --node-files` lets kube-netlint check the nodes' resolv.conf",
    source: "coredns/coredns:plugin/loop/loop.go (log.Fatalf \"Loop (%s -> %s) detected for zone %q\")",
  },
  {
    id: "coredns-bind-denied",
    site: "coredns-log",
    re: /listen (?:tcp|udp)\d? [^ ]{0,100}:(\d+): bind: permission denied/,
    meaning: "CoreDNS may not bind port $1 (bind: permission denied)",
    causeRules: ["coredns/bind-capability", "coredns/selinux-privilege-escalation"],
    next: "the container runs as non-root without NET_BIND_SERVICE: add it to securityContext.capabilities.add (and keep allowPrivilegeEscalation unless the runtime grants file capabilities), or run as root",
    source: "coredns/coredns#6716, kubernetes/kubernetes#125226, k3s-io/k3s#11690 (Go net: \"listen tcp :53: bind: permission denied\")",
  },
  {
    id: "coredns-bind-in-use",
    site: "coredns-log",
    re: /listen (?:tcp|udp)\d? [^ ]{0,100}:(\d+): bind: address already in use/,
    meaning: "port $1 is already taken (bind: address already in use)",
    causeRules: ["coredns/port-mismatch"],
    next: "another process on the node holds the port: with hostNetwork, systemd-resolved or a node-local DNS cache listens on :53; change the Corefile's port or drop hostNetwork",
    source: "Go net (syscall EADDRINUSE), coredns/coredns#2950",
  },
  {
    id: "coredns-corefile-parse",
    site: "coredns-log",
    re: /(?:plugin\/([\w-]{1,40}): )?([^\s:]{0,200}Corefile[^\s:]{0,100}):(\d{1,7}) - Error during parsing: (.*)/,
    meaning: "CoreDNS cannot load its Corefile: $2:$3 - Error during parsing: $4",
    causeRules: ["coredns/corefile-syntax", "coredns/removed-plugin", "coredns/unknown-plugin", "coredns/invalid-plugin-option", "coredns/removed-option", "coredns/import-unresolved", "coredns/duplicate-zone"],
    next: "the Corefile in the CoreDNS ConfigMap does not parse for this CoreDNS version (a removed plugin such as `proxy`, an option the version does not know): fix that line, or add the ConfigMap to the snapshot (`kubectl get cm -n kube-system -o json`) so kube-netlint can point at it",
    source: "coredns/coredns:coremain/run.go (mustLogFatal), coredns/caddy:caddyfile/parse.go; istio/istio.io#4715, coredns/coredns#3368",
  },
  {
    id: "coredns-parse-other",
    site: "coredns-log",
    re: /Error during parsing: (.*)/,
    meaning: "CoreDNS cannot load its Corefile: Error during parsing: $1",
    causeRules: ["coredns/corefile-syntax", "coredns/removed-plugin", "coredns/unknown-plugin", "coredns/invalid-plugin-option", "coredns/removed-option"],
    next: "the Corefile does not parse for this CoreDNS version: fix it, or add the CoreDNS ConfigMap to the snapshot so kube-netlint can point at the line",
    source: "coredns/caddy:caddyfile/parse.go, coredns/coredns#4362",
  },
  {
    id: "coredns-corefile-missing",
    site: "coredns-log",
    re: /open (\S{0,200}Corefile\S{0,100}): no such file or directory/,
    meaning: "CoreDNS finds no Corefile at $1",
    causeRules: ["coredns/configmap-not-mounted"],
    next: "the -conf path is not where the ConfigMap volume puts the Corefile: compare the container's args with its volumeMounts and the ConfigMap's keys",
    source: "coredns/coredns:coremain/run.go; coredns/coredns#4312",
  },
  {
    id: "coredns-rbac",
    site: "coredns-log",
    re: /is forbidden: User "([^"]+)" cannot (list|watch|get) resource "([\w.]+)"/,
    meaning: "the API server refuses $1 to $2 $3 (RBAC)",
    causeRules: ["coredns/rbac-insufficient"],
    next: "the ClusterRole bound to CoreDNS's ServiceAccount lacks list/watch on that resource (endpointslices.discovery.k8s.io since CoreDNS 1.8.1)",
    source: "kubernetes/kubernetes:staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go (forbidden message), logged by coredns/coredns:plugin/kubernetes",
  },
  {
    id: "coredns-api-unreachable",
    site: "coredns-log",
    re: /dial tcp (\S{1,100}): (?:i\/o timeout|connect: no route to host|connect: connection refused)/,
    meaning: "CoreDNS cannot reach the API server at $1",
    causeRules: ["kube-proxy/crash-loop", "kube-proxy/config-not-mounted", "cni/network-not-ready"],
    next: "the kubernetes Service's ClusterIP is not routed from the pod network: check that kube-proxy runs on the node and the CNI is up",
    source: "coredns/coredns:plugin/kubernetes (client-go reflector errors); kubernetes/kubernetes#86762",
  },
  {
    id: "coredns-still-waiting",
    site: "coredns-log",
    re: /plugin\/ready: Still waiting on: "([\w, "]+)"/,
    meaning: "CoreDNS is not ready: still waiting on the $1 plugin",
    causeRules: ["coredns/rbac-insufficient"],
    next: "the kubernetes plugin has not synced with the API server: look for RBAC or connection errors just before this line",
    source: "coredns/coredns:plugin/ready/ready.go",
  },

  // ------------------------------------------------------------------ kube-proxy logs
  {
    id: "kube-proxy-config-missing",
    site: "kube-proxy-log",
    re: /failed complete: open (\S{1,300}): no such file or directory/,
    meaning: "kube-proxy cannot read its --config file $1",
    causeRules: ["kube-proxy/config-not-mounted"],
    next: "the file --config names is not where the kube-proxy ConfigMap volume puts it: compare the DaemonSet's --config, its volumeMounts and the ConfigMap's keys (add the ConfigMap to the snapshot: `kubectl get cm -n kube-system -o json`)",
    source: "kubernetes/kubernetes:cmd/kube-proxy/app/server.go (\"failed complete: %w\"), cmd/kube-proxy/app/options.go (loadConfigFromFile)",
  },
  {
    id: "kube-proxy-kubeconfig-missing",
    site: "kube-proxy-log",
    re: /(?:stat|open) (\S{0,200}kubeconfig\S{0,100}): no such file or directory/,
    meaning: "kube-proxy cannot read its kubeconfig $1",
    causeRules: ["kube-proxy/kubeconfig-not-mounted"],
    next: "clientConnection.kubeconfig in the KubeProxyConfiguration names a file the container does not get: compare it with the volume that should hold it",
    source: "kubernetes/kubernetes:cmd/kube-proxy/app/server.go (createClient); kubernetes/kubeadm#1390",
  },
  {
    id: "kube-proxy-decode",
    site: "kube-proxy-log",
    re: /failed (?:complete: )?(?:failed )?to decode:? (.*)/,
    meaning: "kube-proxy cannot decode its configuration: $1",
    causeRules: ["kube-proxy/invalid-config", "kube-proxy/unknown-field", "kube-proxy/wrong-type"],
    next: "the KubeProxyConfiguration in the kube-proxy ConfigMap is not valid YAML or has a field of the wrong type or name: fix it",
    source: "kubernetes/kubernetes:cmd/kube-proxy/app/options.go (\"failed to decode: %w\")",
  },
  {
    id: "kube-proxy-validate",
    site: "kube-proxy-log",
    re: /failed validate: (.*)/,
    meaning: "kube-proxy rejects its configuration: $1",
    causeRules: ["kube-proxy/invalid-config", "kube-proxy/ipvs-scheduler", "kube-proxy/cluster-cidr-mismatch"],
    next: "a value in the KubeProxyConfiguration is not valid for this kube-proxy version (a proxy mode its version does not have, a bad CIDR): fix it",
    source: "kubernetes/kubernetes:cmd/kube-proxy/app/server.go (\"failed validate: %w\"), pkg/proxy/apis/config/validation/validation.go",
  },
  {
    id: "kube-proxy-ipvs",
    site: "kube-proxy-log",
    re: /can't use the IPVS proxier: (.*)/,
    meaning: "kube-proxy cannot use IPVS: $1",
    causeRules: ["kube-proxy/ipvs-scheduler"],
    next: "the node lacks the IPVS kernel modules (ip_vs, ip_vs_rr, ...): load them or use mode iptables",
    source: "kubernetes/kubernetes:cmd/kube-proxy/app/server_linux.go (\"can't use the IPVS proxier: %v\")",
  },
  {
    id: "kube-proxy-conntrack",
    site: "kube-proxy-log",
    re: /open (\/proc\/sys\/net\/netfilter\/nf_conntrack_max): permission denied/,
    meaning: "kube-proxy may not set $1",
    causeRules: [],
    next: "the container is not privileged, or /proc/sys is read-only (nested containers, kind, minikube with docker): set conntrack.maxPerCore: 0 in the KubeProxyConfiguration",
    source: "kubernetes/kubernetes:cmd/kube-proxy/app/conntrack.go; kubernetes/minikube#11418",
  },
  {
    id: "kube-proxy-command-failed",
    site: "kube-proxy-log",
    re: /"command failed" err="([^"]*)"|Error running ProxyServer"? err="([^"]*)"/,
    meaning: "kube-proxy exits: $1$2",
    causeRules: ["kube-proxy/invalid-config", "kube-proxy/config-not-mounted"],
    next: "read the error: it names the file or the field",
    source: "kubernetes/kubernetes:staging/src/k8s.io/component-base/cli/run.go (\"command failed\"), cmd/kube-proxy/app/server.go (\"Error running ProxyServer\")",
  },

  // ------------------------------------------------------------------ Node Ready = False
  {
    id: "node-cni-not-initialized",
    site: "node-ready",
    re: /cni plugin not initialized|cni config load failed|no network config found in (\S{1,200})/,
    meaning: "containerd finds no usable CNI configuration (cni plugin not initialized)",
    causeRules: ["cni/no-network", "cni/invalid-config", "cni/invalid-json", "cni/multiple-cni"],
    next: "no network plugin has written its config into the node's /etc/cni/net.d: install a CNI (or check its DaemonSet's pod on this node)",
    source: "containerd/containerd:internal/cri/server/status.go (\"Network plugin returns error: %v\"), containerd/go-cni:errors.go (ErrCNINotInitialized)",
  },
  {
    id: "node-crio-no-conf",
    site: "node-ready",
    re: /No CNI configuration file in (\S{1,200}?)\.? Has your network provider started\?/,
    meaning: "CRI-O finds no CNI configuration file in $1",
    causeRules: ["cni/no-network", "cni/invalid-config", "cni/invalid-json"],
    next: "no network plugin has written its config into the node's conf dir: install a CNI (or check its DaemonSet's pod on this node)",
    source: "cri-o/ocicni:pkg/ocicni/ocicni.go (errMissingDefaultNetwork)",
  },
  {
    id: "node-dockershim-uninitialized",
    site: "node-ready",
    re: /network plugin is not ready: cni config uninitiali[sz]ed/,
    meaning: "the kubelet's dockershim finds no CNI configuration (cni config uninitialized)",
    causeRules: ["cni/no-network", "cni/invalid-config", "cni/invalid-json"],
    next: "no network plugin has written its config into /etc/cni/net.d: install a CNI",
    source: "kubernetes/kubernetes:pkg/kubelet/dockershim/docker_service.go, pkg/kubelet/dockershim/network/cni/cni.go (<= 1.23)",
  },
  {
    id: "node-network-not-ready",
    site: "node-ready",
    re: /(?:container )?runtime network not ready|NetworkPluginNotReady|network plugin is not ready/,
    meaning: "the container runtime reports its network not ready",
    causeRules: ["cni/no-network", "cni/invalid-config", "cni/plugin-binary-missing"],
    next: "the runtime's CNI is not initialized: check the node's /etc/cni/net.d and the CNI DaemonSet's pod on this node",
    source: "kubernetes/kubernetes:pkg/kubelet/kubelet.go (updateRuntimeUp: \"container runtime network not ready: %v\"; before 1.20 \"runtime network not ready\")",
  },

  // ------------------------------------------------------------------ FailedCreatePodSandBox
  {
    id: "sandbox-plugin-missing",
    site: "sandbox",
    re: /failed to find plugin "([^"]+)" in path \[([^\]]*)\]/,
    meaning: "the CNI plugin binary \"$1\" is not in $2",
    causeRules: ["cni/plugin-binary-missing"],
    next: "install the plugin into the node's CNI bin dir (the CNI's DaemonSet or the containernetworking-plugins package does it)",
    source: "containernetworking/cni:pkg/invoke/find.go (\"failed to find plugin %q in path %s\"); flannel-io/flannel#1730",
  },
  {
    id: "sandbox-ipam-exhausted",
    site: "sandbox",
    re: /no IP addresses available in range set: (\S+)/,
    meaning: "host-local IPAM has no free address left in $1",
    causeRules: ["cni/ipam-range"],
    next: "the node's range is used up, usually by addresses leaked in /var/lib/cni/networks/<network>/: remove the files of pods that no longer exist, or give the node a larger range",
    source: "containernetworking/plugins:plugins/ipam/host-local/backend/allocator/allocator.go; kubernetes/test-infra#13039",
  },
  {
    id: "sandbox-bridge-address",
    site: "sandbox",
    re: /([\w.-]{1,64})"? already has an IP address different from (\S{1,64})/,
    meaning: "the bridge $1 still holds an old address, not $2",
    causeRules: ["cni/subnet-outside-pod-cidr"],
    next: "the node re-joined with a new podCIDR while the old bridge stayed: delete it on the node (`ip link delete cni0`) and let the plugin recreate it",
    source: "containernetworking/plugins:plugins/main/bridge/bridge.go (ensureAddr); kubernetes/kubernetes#76070",
  },
  {
    id: "sandbox-flannel-subnet-env",
    site: "sandbox",
    re: /open \/run\/flannel\/subnet\.env: no such file or directory/,
    meaning: "flannel's /run/flannel/subnet.env is missing (flanneld is not running on the node)",
    causeRules: ["cluster/cidr-overlap", "kube-proxy/cluster-cidr-mismatch"],
    next: "flanneld writes subnet.env when it starts: check the kube-flannel pod on that node; its log often says \"pod cidr not assigned\", i.e. kube-controller-manager runs without --allocate-node-cidrs=true --cluster-cidr (kubeadm init without --pod-network-cidr)",
    source: "flannel-io/cni-plugin:flannel.go (loadFlannelSubnetEnv); flannel-io/flannel#2253, kubernetes/kubernetes#65526",
  },
  {
    id: "sandbox-calico-nodename",
    site: "sandbox",
    re: /stat \/var\/lib\/calico\/nodename: no such file or directory/,
    meaning: "Calico's /var/lib/calico/nodename is missing (calico-node is not running on the node)",
    causeRules: [],
    next: "check the calico-node pod on that node and its log",
    source: "projectcalico/calico:cni-plugin/pkg/k8s/k8s.go (\"check that the calico/node container is running and has mounted /var/lib/calico/\")",
  },
  {
    id: "sandbox-network-not-ready",
    site: "sandbox",
    re: /cni plugin not initialized|cni config uninitiali[sz]ed|No CNI configuration file/,
    meaning: "the runtime's CNI is not initialized",
    causeRules: ["cni/network-not-ready", "cni/no-network"],
    next: "no CNI config on the node: install a network plugin",
    source: "containerd/go-cni:errors.go, cri-o/ocicni:pkg/ocicni/ocicni.go",
  },
  {
    id: "sandbox-cni-other",
    site: "sandbox",
    re: /failed to (?:setup|set up) network for sandbox|networkPlugin cni failed to set up pod|plugin type="[^"]+"(?: name="[^"]+")? failed \((?:add|delete|check)\)/,
    meaning: "the CNI plugin fails to set up the pod's network",
    causeRules: ["cni/invalid-config", "cni/plugin-options"],
    next: "read the plugin's error in the event and the CNI pod's log on that node",
    source: "containerd/containerd:internal/cri/server/sandbox_run.go (\"failed to setup network for sandbox %q\"), containerd/go-cni:cni.go (\"plugin type=%q failed (add)\"), kubernetes/kubernetes:pkg/kubelet/dockershim (\"networkPlugin cni failed to set up pod\")",
  },

  // ------------------------------------------------------------------ scheduling
  {
    id: "sched-not-ready-taint",
    site: "scheduling",
    re: /taint \{node\.kubernetes\.io\/not-ready: ?\}/,
    meaning: "no node is Ready: every node carries the node.kubernetes.io/not-ready taint, which CoreDNS does not tolerate",
    causeRules: ["cni/network-not-ready", "cni/no-network"],
    next: "nodes are NotReady until a network plugin is ready: install a CNI (CoreDNS stays Pending without one, as kubeadm's docs say)",
    source: "kubernetes/kubernetes:pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go (\"node(s) had untolerated taint %v\"; before 1.26 \"had taint %v, that the pod didn't tolerate\")",
  },
  {
    id: "sched-uninitialized-taint",
    site: "scheduling",
    re: /taint \{node\.cloudprovider\.kubernetes\.io\/uninitialized: [^}]*\}/,
    meaning: "the nodes are not initialized by the cloud controller manager (node.cloudprovider.kubernetes.io/uninitialized taint)",
    causeRules: [],
    next: "the kubelet runs with --cloud-provider=external but no cloud controller manager has initialized the nodes: deploy it",
    source: "kubernetes/cloud-provider:api/well_known_taints.go (TaintExternalCloudProvider)",
  },
  {
    id: "sched-insufficient",
    site: "scheduling",
    re: /Insufficient ([\w./-]+)/,
    meaning: "no node has enough $1 for the pod's requests",
    causeRules: [],
    next: "lower the pod's requests or add capacity",
    source: "kubernetes/kubernetes:pkg/scheduler/framework/plugins/noderesources/fit.go (\"Insufficient %v\")",
  },
  {
    id: "sched-other-taint",
    site: "scheduling",
    re: /untolerated taint \{([^:}]{1,100})|had taint \{([^:}]{1,100})[^}]{0,200}\}, that the pod didn't tolerate/,
    meaning: "the nodes carry a taint ($1$2) the pod does not tolerate",
    causeRules: [],
    next: "add a toleration or remove the taint",
    source: "kubernetes/kubernetes:pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go",
  },
  {
    id: "sched-affinity",
    site: "scheduling",
    re: /didn't match Pod's node affinity\/selector|node\(s\) didn't match node selector/,
    meaning: "no node matches the pod's nodeSelector or node affinity",
    causeRules: [],
    next: "compare the pod's nodeSelector/affinity with the nodes' labels (kubernetes.io/os: linux)",
    source: "kubernetes/kubernetes:pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go",
  },
  {
    id: "sched-no-nodes",
    site: "scheduling",
    re: /no nodes available to schedule pods|0\/0 nodes are available/,
    meaning: "the cluster has no node",
    causeRules: [],
    next: "join a node, or untaint the control plane",
    source: "kubernetes/kubernetes:pkg/scheduler/schedule_one.go (ErrNoNodesAvailable)",
  },

  // ------------------------------------------------------------------ container status
  {
    id: "oom-killed",
    site: "container-status",
    re: /^OOMKilled$/,
    meaning: "the kernel killed the container for exceeding its memory limit (OOMKilled)",
    causeRules: ["coredns/memory-limit-low", "coredns/forward-loop"],
    next: "raise the memory limit (CoreDNS needs about 70 MiB plus 1 KiB per pod and service with the kubernetes plugin), and check for a forwarding loop that makes memory grow",
    source: "kubernetes/kubernetes:pkg/kubelet/kuberuntime/kuberuntime_container.go (reason OOMKilled, exit code 137); coredns/coredns:plugin/kubernetes/README.md (memory sizing)",
  },

  // ------------------------------------------------------------------ other pod events
  {
    id: "event-configmap-not-found",
    site: "pod-event",
    re: /configmap "([^"]+)" not found/,
    meaning: "the ConfigMap $1 that a volume mounts does not exist",
    causeRules: ["coredns/configmap-not-mounted", "kube-proxy/config-not-mounted"],
    next: "create the ConfigMap or fix the volume's configMap.name",
    source: "kubernetes/kubernetes:pkg/volume/configmap/configmap.go (FailedMount)",
  },
  {
    id: "event-readiness-failed",
    site: "pod-event",
    re: /Readiness probe failed: (.*)/,
    meaning: "the readiness probe fails ($1)",
    causeRules: ["coredns/probe-plugin-missing", "coredns/port-mismatch"],
    next: "the probe's port and path must be served: ready :8181 for /ready, health :8080 for /health",
    source: "kubernetes/kubernetes:pkg/kubelet/prober/prober.go (\"Readiness probe failed: %s\")",
  },
];

export interface PatternMatch {
  pattern: SymptomPattern;
  /** The matched text's groups. */
  groups: string[];
  /** `meaning` with its groups filled in. */
  meaning: string;
}

/** The first pattern of the site that matches the text (the table's order is most specific first). */
export function matchSymptom(site: PatternSite, text: string): PatternMatch | null {
  for (const p of SYMPTOM_PATTERNS) {
    if (p.site !== site) continue;
    const m = p.re.exec(text);
    if (!m) continue;
    const groups = m.slice(1).map((g) => g ?? "");
    return { pattern: p, groups, meaning: p.meaning.replace(/\$(\d)/g, (_s, i: string) => groups[Number(i) - 1] ?? "") };
  }
  return null;
}
