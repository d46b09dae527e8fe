#!/usr/bin/env node
// Deterministic generator of a synthetic GitOps monorepo (Argo CD / Flux style) for the benchmark.
//
//   node bench/generate.mjs [--apps N] [--out DIR] [--seed S] [--quiet]
//
// Defaults: N=2000, DIR=bench/out/repo-N, S=1. The same N and seed always give byte-identical output.
// No dependencies. The layout:
//
//   apps/<team>/namespace.yaml                      Namespace (+ ResourceQuota)
//   apps/<team>/<app>/deployment.yaml               Deployment (+ PodDisruptionBudget, sometimes)
//   apps/<team>/<app>/service.yaml                  Service (+ ServiceAccount, sometimes)       ~85%
//   apps/<team>/<app>/configmap.yaml                ConfigMap                                   ~20%
//   apps/<team>/<app>/hpa.yaml | ingress.yaml       HorizontalPodAutoscaler or Ingress          ~20%
//   clusters/prod/...                               the networking artifacts of one cluster
//
// About 2.25 files and ~1.45 KB per app, so 20,000 apps give ~45,000 files, ~29 MB.
// The cluster part deliberately carries two real problems so that the lint has findings:
//   - the CoreDNS Corefile's kubernetes plugin lacks `pods insecure` (coredns/pods-insecure-missing)
//   - kube-proxy's clusterCIDR (10.245.0.0/16) differs from kubeadm's podSubnet (10.244.0.0/16)
//     (kube-proxy/cluster-cidr-mismatch)
import { mkdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------- PRNG (mulberry32)


// flannel's CNI config: the kube-flannel-cfg ConfigMap carries it, and the install container copies
// it to each node's /etc/cni/net.d/10-flannel.conflist.
const FLANNEL_CNI_CONF = `{
  "name": "cbr0",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "flannel",
      "delegate": {
        "hairpinMode": true,
        "isDefaultGateway": true
      }
    },
    {
      "type": "portmap",
      "capabilities": {
        "portMappings": true
      }
    }
  ]
}
`;

/** Text indented by n spaces on every non-empty line. */
function indent(text, n) {
  return text.split("\n").map((l) => (l ? " ".repeat(n) + l : l)).join("\n");
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeRandom(seed) {
  const next = mulberry32(seed);
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
    hex: (n) => {
      let s = "";
      for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(next() * 16)];
      return s;
    },
    sample: (arr, k) => {
      const copy = arr.slice();
      const out = [];
      for (let i = 0; i < k && copy.length; i++) out.push(copy.splice(Math.floor(next() * copy.length), 1)[0]);
      return out;
    },
  };
  return r;
}

// ---------------------------------------------------------------- vocabulary

const TEAMS = [
  "payments", "checkout", "identity", "search", "catalog", "fulfillment", "logistics", "pricing", "recommendations",
  "notifications", "messaging", "analytics", "data-platform", "ml-platform", "growth", "marketing", "billing",
  "accounts", "risk", "fraud", "compliance", "support", "content", "media", "mobile-backend", "web-frontend",
  "partners", "inventory", "shipping", "returns", "loyalty", "ads", "observability", "developer-experience",
  "security", "platform", "core-services", "integrations", "reporting", "experimentation",
];
const NOUNS = [
  "api", "gateway", "worker", "service", "consumer", "producer", "scheduler", "indexer", "exporter", "sync",
  "processor", "router", "proxy", "cache", "store", "engine", "aggregator", "dispatcher", "listener", "bridge",
  "resolver", "validator", "renderer", "uploader", "webhook", "backend", "frontend", "cron", "batch", "stream",
];
const SUBJECTS = [
  "order", "cart", "invoice", "ledger", "user", "session", "token", "profile", "product", "price", "offer",
  "coupon", "shipment", "parcel", "label", "refund", "payout", "account", "email", "sms", "push", "event",
  "metric", "report", "feed", "image", "video", "asset", "review", "rating", "stock", "warehouse", "route",
  "quote", "tax", "currency", "audit", "consent", "search", "query", "graph", "model", "feature", "experiment",
];
const LANG_IMAGES = [
  { lang: "go", port: 8080, mem: ["64Mi", "128Mi", "256Mi"], cpu: ["50m", "100m", "250m"] },
  { lang: "java", port: 8080, mem: ["512Mi", "768Mi", "1Gi", "2Gi"], cpu: ["250m", "500m", "1"] },
  { lang: "node", port: 3000, mem: ["128Mi", "256Mi", "512Mi"], cpu: ["100m", "200m", "500m"] },
  { lang: "python", port: 8000, mem: ["256Mi", "512Mi", "1Gi"], cpu: ["100m", "250m", "500m"] },
  { lang: "rust", port: 8080, mem: ["32Mi", "64Mi", "128Mi"], cpu: ["50m", "100m"] },
];
const LOG_LEVELS = ["info", "info", "info", "debug", "warn"];
const REGISTRY = "registry.example.com";

// ---------------------------------------------------------------- app manifests

function appFiles(r, team, app, ns) {
  const stack = r.pick(LANG_IMAGES);
  const version = `${r.int(1, 4)}.${r.int(0, 30)}.${r.int(0, 20)}`;
  const image = `${REGISTRY}/${team}/${app}:${version}`;
  const port = stack.port;
  const tier = r.pick(["backend", "backend", "frontend", "worker"]);
  const labels = [
    `app.kubernetes.io/name: ${app}`,
    `app.kubernetes.io/part-of: ${team}`,
  ];
  const extraLabels = [];
  if (r.chance(0.6)) extraLabels.push(`app.kubernetes.io/version: "${version}"`);
  if (r.chance(0.5)) extraLabels.push(`tier: ${tier}`);
  if (r.chance(0.3)) extraLabels.push(`cost-center: cc-${r.int(1000, 9999)}`);
  const lbl = (indent) => [...labels, ...extraLabels].map((l) => `${indent}${l}`).join("\n");
  const files = {};

  // ---- deployment.yaml
  const replicas = r.pick([1, 2, 2, 3, 3, 4, 6]);
  const mem = r.pick(stack.mem);
  const cpu = r.pick(stack.cpu);
  const envs = [];
  const nEnv = r.pick([0, 0, 0, 1, 1, 1, 2, 3]);
  const envPool = [
    () => `            - name: LOG_LEVEL\n              value: ${r.pick(LOG_LEVELS)}`,
    () => `            - name: PORT\n              value: "${port}"`,
    () => `            - name: ${r.pick(SUBJECTS).toUpperCase()}_SERVICE_URL\n              value: http://${r.pick(SUBJECTS)}-${r.pick(NOUNS)}.${r.pick(TEAMS)}.svc.cluster.local:8080`,
    () => `            - name: DATABASE_URL\n              valueFrom:\n                secretKeyRef:\n                  name: ${app}-db\n                  key: url`,
    () => `            - name: POD_NAME\n              valueFrom:\n                fieldRef:\n                  fieldPath: metadata.name`,
    () => `            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: http://otel-collector.observability:4317`,
  ];
  for (const f of r.sample(envPool, nEnv)) envs.push(f());
  const hasConfigMap = r.chance(0.2);
  const probes = r.chance(0.5);
  const dnsTuned = r.chance(0.03);
  let dep = "";
  if (r.chance(0.25)) dep += `# ${app}: owned by team ${team}. Changes are synced by Argo CD.\n`;
  dep += `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${ns}
  labels:
${lbl("    ")}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${app}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${app}
`;
  if (r.chance(0.3)) dep += `      annotations:\n        prometheus.io/scrape: "true"\n        prometheus.io/port: "${port}"\n`;
  dep += `    spec:\n`;
  if (r.chance(0.35)) dep += `      serviceAccountName: ${app}\n`;
  if (dnsTuned) dep += `      dnsPolicy: ClusterFirst\n      dnsConfig:\n        options:\n          - name: ndots\n            value: "2"\n`;
  dep += `      containers:
        - name: ${app}
          image: ${image}${r.chance(0.3) ? "  # renovate: datasource=docker" : ""}
          ports:
            - name: http
              containerPort: ${port}
`;
  if (envs.length) dep += `          env:\n${envs.join("\n")}\n`;
  if (hasConfigMap && r.chance(0.7)) dep += `          envFrom:\n            - configMapRef:\n                name: ${app}-config\n`;
  dep += `          resources:
            requests:
              cpu: ${cpu}
              memory: ${mem}
            limits:
              memory: ${mem}
`;
  if (probes) {
    dep += `          readinessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
`;
    if (r.chance(0.5)) dep += `          livenessProbe:
            httpGet:
              path: /livez
              port: http
            initialDelaySeconds: ${r.pick([5, 10, 15, 30])}
`;
  }
  if (r.chance(0.08)) {
    dep += `---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: ${app}
`;
  }
  files["deployment.yaml"] = dep;

  // ---- service.yaml
  if (r.chance(0.82)) {
    let svc = "";
    if (r.chance(0.1)) {
      svc += `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${app}
  namespace: ${ns}
---
`;
    }
    svc += `apiVersion: v1
kind: Service
metadata:
  name: ${app}
  namespace: ${ns}
  labels:
${labels.map((l) => `    ${l}`).join("\n")}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: ${app}
  ports:
    - name: http
      port: ${r.pick([80, 8080, port])}
      targetPort: http
      protocol: TCP
`;
    files["service.yaml"] = svc;
  }

  // ---- configmap.yaml
  if (hasConfigMap) {
    const keys = [];
    for (let i = 0, n = r.int(2, 7); i < n; i++) {
      keys.push(r.pick([
        `  LOG_FORMAT: json`,
        `  FEATURE_${r.pick(SUBJECTS).toUpperCase()}_ENABLED: "${r.pick(["true", "false"])}"`,
        `  CACHE_TTL_SECONDS: "${r.int(30, 3600)}"`,
        `  ${r.pick(SUBJECTS).toUpperCase()}_BATCH_SIZE: "${r.int(10, 500)}"`,
        `  UPSTREAM_TIMEOUT: ${r.int(1, 30)}s`,
        `  REGION: ${r.pick(["eu-west-1", "us-east-1", "ap-southeast-2"])}`,
      ]));
    }
    let cm = `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app}-config
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${app}
data:
${[...new Set(keys)].join("\n")}
`;
    if (r.chance(0.4)) {
      cm += `  application.yaml: |
    server:
      port: ${port}
    ${r.pick(SUBJECTS)}:
      retries: ${r.int(1, 5)}
      timeout: ${r.int(100, 5000)}ms
`;
    }
    files["configmap.yaml"] = cm;
  }

  // ---- hpa.yaml or ingress.yaml
  const extra = r.next();
  if (extra < 0.1) {
    files["hpa.yaml"] = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${app}
  minReplicas: ${replicas}
  maxReplicas: ${replicas * r.pick([2, 3, 5])}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: ${r.pick([60, 70, 75, 80])}
`;
  } else if (extra < 0.2) {
    const host = `${app}.${team}.example.com`;
    files["ingress.yaml"] = `# Public endpoint for ${app}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${app}
  namespace: ${ns}
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt-prod
    nginx.ingress.kubernetes.io/proxy-body-size: ${r.pick(["1m", "8m", "16m"])}
spec:
  ingressClassName: nginx
  tls:
    - hosts:
        - ${host}
      secretName: ${app}-tls
  rules:
    - host: ${host}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${app}
                port:
                  name: http
`;
  }
  return files;
}

function namespaceFile(team) {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${team}
  labels:
    team: ${team}
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: ${team}-quota
  namespace: ${team}
spec:
  hard:
    requests.cpu: "200"
    requests.memory: 400Gi
    pods: "2000"
`;
}

// ---------------------------------------------------------------- cluster networking artifacts

const POD_SUBNET = "10.244.0.0/16";
const SERVICE_SUBNET = "10.96.0.0/12";
const DNS_IP = "10.96.0.10";
const PROXY_CLUSTER_CIDR = "10.245.0.0/16"; // planted: differs from POD_SUBNET

function clusterFiles() {
  const files = {};
  files["clusters/prod/kubeadm-config.yaml"] = `# kubeadm init --config kubeadm-config.yaml
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
kubernetesVersion: v1.28.4
clusterName: prod
controlPlaneEndpoint: k8s-api.prod.example.com:6443
networking:
  dnsDomain: cluster.local
  podSubnet: ${POD_SUBNET}
  serviceSubnet: ${SERVICE_SUBNET}
apiServer:
  certSANs:
    - k8s-api.prod.example.com
controllerManager:
  extraArgs:
    node-cidr-mask-size: "24"
etcd:
  local:
    dataDir: /var/lib/etcd
`;

  // kubeadm's CoreDNS addon, with the Corefile's `pods insecure` removed (planted problem).
  files["clusters/prod/kube-system/coredns.yaml"] = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: coredns
  namespace: kube-system
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:coredns
rules:
  - apiGroups:
      - ""
    resources:
      - endpoints
      - services
      - pods
      - namespaces
    verbs:
      - list
      - watch
  - apiGroups:
      - discovery.k8s.io
    resources:
      - endpointslices
    verbs:
      - list
      - watch
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: system:coredns
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: system:coredns
subjects:
  - kind: ServiceAccount
    name: coredns
    namespace: kube-system
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: coredns
  namespace: kube-system
data:
  Corefile: |
    .:53 {
        errors
        health {
           lameduck 5s
        }
        ready
        kubernetes cluster.local in-addr.arpa ip6.arpa {
           fallthrough in-addr.arpa ip6.arpa
           ttl 30
        }
        prometheus :9153
        forward . /etc/resolv.conf {
           max_concurrent 1000
        }
        cache 30
        loop
        reload
        loadbalance
    }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
  labels:
    k8s-app: kube-dns
spec:
  replicas: 2
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 1
  selector:
    matchLabels:
      k8s-app: kube-dns
  template:
    metadata:
      labels:
        k8s-app: kube-dns
    spec:
      priorityClassName: system-cluster-critical
      serviceAccountName: coredns
      tolerations:
        - key: CriticalAddonsOnly
          operator: Exists
        - key: node-role.kubernetes.io/control-plane
          effect: NoSchedule
      nodeSelector:
        kubernetes.io/os: linux
      containers:
        - name: coredns
          image: registry.k8s.io/coredns/coredns:v1.10.1
          imagePullPolicy: IfNotPresent
          resources:
            limits:
              memory: 170Mi
            requests:
              cpu: 100m
              memory: 70Mi
          args: [ "-conf", "/etc/coredns/Corefile" ]
          volumeMounts:
            - name: config-volume
              mountPath: /etc/coredns
              readOnly: true
          ports:
            - containerPort: 53
              name: dns
              protocol: UDP
            - containerPort: 53
              name: dns-tcp
              protocol: TCP
            - containerPort: 9153
              name: metrics
              protocol: TCP
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              add:
                - NET_BIND_SERVICE
              drop:
                - ALL
            readOnlyRootFilesystem: true
          livenessProbe:
            httpGet:
              path: /health
              port: 8080
              scheme: HTTP
            initialDelaySeconds: 60
            timeoutSeconds: 5
            successThreshold: 1
            failureThreshold: 5
          readinessProbe:
            httpGet:
              path: /ready
              port: 8181
              scheme: HTTP
      dnsPolicy: Default
      volumes:
        - name: config-volume
          configMap:
            name: coredns
            items:
              - key: Corefile
                path: Corefile
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  annotations:
    prometheus.io/port: "9153"
    prometheus.io/scrape: "true"
  labels:
    k8s-app: kube-dns
    kubernetes.io/cluster-service: "true"
    kubernetes.io/name: "CoreDNS"
spec:
  selector:
    k8s-app: kube-dns
  clusterIP: ${DNS_IP}
  ports:
    - name: dns
      port: 53
      protocol: UDP
    - name: dns-tcp
      port: 53
      protocol: TCP
    - name: metrics
      port: 9153
      protocol: TCP
`;

  files["clusters/prod/kube-system/kube-proxy.yaml"] = `apiVersion: v1
kind: ConfigMap
metadata:
  name: kube-proxy
  namespace: kube-system
  labels:
    app: kube-proxy
data:
  config.conf: |-
    apiVersion: kubeproxy.config.k8s.io/v1alpha1
    bindAddress: 0.0.0.0
    bindAddressHardFail: false
    clientConnection:
      acceptContentTypes: ""
      burst: 0
      contentType: ""
      kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
      qps: 0
    clusterCIDR: ${PROXY_CLUSTER_CIDR}
    configSyncPeriod: 0s
    conntrack:
      maxPerCore: null
      min: null
      tcpCloseWaitTimeout: null
      tcpEstablishedTimeout: null
    detectLocalMode: ""
    enableProfiling: false
    healthzBindAddress: ""
    hostnameOverride: ""
    iptables:
      masqueradeAll: false
      masqueradeBit: null
      minSyncPeriod: 0s
      syncPeriod: 0s
    ipvs:
      excludeCIDRs: null
      minSyncPeriod: 0s
      scheduler: ""
      strictARP: false
      syncPeriod: 0s
      tcpFinTimeout: 0s
      tcpTimeout: 0s
      udpTimeout: 0s
    kind: KubeProxyConfiguration
    metricsBindAddress: ""
    mode: ""
    nodePortAddresses: null
    oomScoreAdj: null
    portRange: ""
    showHiddenMetricsForVersion: ""
    winkernel:
      enableDSR: false
      forwardHealthCheckVip: false
      networkName: ""
      rootHnsEndpointName: ""
      sourceVip: ""
  kubeconfig.conf: |-
    apiVersion: v1
    kind: Config
    clusters:
    - cluster:
        certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
        server: https://k8s-api.prod.example.com:6443
      name: default
    contexts:
    - context:
        cluster: default
        namespace: default
        user: default
      name: default
    current-context: default
    users:
    - name: default
      user:
        tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: kube-proxy
  namespace: kube-system
  labels:
    k8s-app: kube-proxy
spec:
  selector:
    matchLabels:
      k8s-app: kube-proxy
  updateStrategy:
    type: RollingUpdate
  template:
    metadata:
      labels:
        k8s-app: kube-proxy
    spec:
      priorityClassName: system-node-critical
      serviceAccountName: kube-proxy
      hostNetwork: true
      nodeSelector:
        kubernetes.io/os: linux
      tolerations:
        - operator: Exists
      containers:
        - name: kube-proxy
          image: registry.k8s.io/kube-proxy:v1.28.4
          imagePullPolicy: IfNotPresent
          command:
            - /usr/local/bin/kube-proxy
            - --config=/var/lib/kube-proxy/config.conf
            - --hostname-override=$(NODE_NAME)
          env:
            - name: NODE_NAME
              valueFrom:
                fieldRef:
                  fieldPath: spec.nodeName
          securityContext:
            privileged: true
          volumeMounts:
            - mountPath: /var/lib/kube-proxy
              name: kube-proxy
            - mountPath: /run/xtables.lock
              name: xtables-lock
            - mountPath: /lib/modules
              name: lib-modules
              readOnly: true
      volumes:
        - name: kube-proxy
          configMap:
            name: kube-proxy
        - name: xtables-lock
          hostPath:
            path: /run/xtables.lock
            type: FileOrCreate
        - name: lib-modules
          hostPath:
            path: /lib/modules
`;

  files["clusters/prod/kube-flannel/kube-flannel.yml"] = `---
kind: Namespace
apiVersion: v1
metadata:
  name: kube-flannel
  labels:
    k8s-app: flannel
    pod-security.kubernetes.io/enforce: privileged
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata:
  labels:
    k8s-app: flannel
  name: flannel
rules:
- apiGroups:
  - ""
  resources:
  - pods
  verbs:
  - get
- apiGroups:
  - ""
  resources:
  - nodes
  verbs:
  - get
  - list
  - watch
- apiGroups:
  - ""
  resources:
  - nodes/status
  verbs:
  - patch
---
kind: ClusterRoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata:
  labels:
    k8s-app: flannel
  name: flannel
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: flannel
subjects:
- kind: ServiceAccount
  name: flannel
  namespace: kube-flannel
---
apiVersion: v1
kind: ServiceAccount
metadata:
  labels:
    k8s-app: flannel
  name: flannel
  namespace: kube-flannel
---
kind: ConfigMap
apiVersion: v1
metadata:
  name: kube-flannel-cfg
  namespace: kube-flannel
  labels:
    tier: node
    k8s-app: flannel
    app: flannel
data:
  cni-conf.json: |
${indent(FLANNEL_CNI_CONF, 4)}  net-conf.json: |
    {
      "Network": "${POD_SUBNET}",
      "Backend": {
        "Type": "vxlan"
      }
    }
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: kube-flannel-ds
  namespace: kube-flannel
  labels:
    tier: node
    app: flannel
    k8s-app: flannel
spec:
  selector:
    matchLabels:
      app: flannel
  template:
    metadata:
      labels:
        tier: node
        app: flannel
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - key: kubernetes.io/os
                operator: In
                values:
                - linux
      hostNetwork: true
      priorityClassName: system-node-critical
      tolerations:
      - operator: Exists
        effect: NoSchedule
      serviceAccountName: flannel
      initContainers:
      - name: install-cni-plugin
        image: docker.io/flannel/flannel-cni-plugin:v1.2.0
        command:
        - cp
        args:
        - -f
        - /flannel
        - /opt/cni/bin/flannel
        volumeMounts:
        - name: cni-plugin
          mountPath: /opt/cni/bin
      - name: install-cni
        image: docker.io/flannel/flannel:v0.22.3
        command:
        - cp
        args:
        - -f
        - /etc/kube-flannel/cni-conf.json
        - /etc/cni/net.d/10-flannel.conflist
        volumeMounts:
        - name: cni
          mountPath: /etc/cni/net.d
        - name: flannel-cfg
          mountPath: /etc/kube-flannel/
      containers:
      - name: kube-flannel
        image: docker.io/flannel/flannel:v0.22.3
        command:
        - /opt/bin/flanneld
        args:
        - --ip-masq
        - --kube-subnet-mgr
        resources:
          requests:
            cpu: "100m"
            memory: "50Mi"
        securityContext:
          privileged: false
          capabilities:
            add: ["NET_ADMIN", "NET_RAW"]
        env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: POD_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        - name: EVENT_QUEUE_DEPTH
          value: "5000"
        volumeMounts:
        - name: run
          mountPath: /run/flannel
        - name: flannel-cfg
          mountPath: /etc/kube-flannel/
        - name: xtables-lock
          mountPath: /run/xtables.lock
      volumes:
      - name: run
        hostPath:
          path: /run/flannel
      - name: cni-plugin
        hostPath:
          path: /opt/cni/bin
      - name: cni
        hostPath:
          path: /etc/cni/net.d
      - name: flannel-cfg
        configMap:
          name: kube-flannel-cfg
      - name: xtables-lock
        hostPath:
          path: /run/xtables.lock
          type: FileOrCreate
`;

  const node = "clusters/prod/nodes/node-1";
  files[`${node}/etc/cni/net.d/10-flannel.conflist`] = FLANNEL_CNI_CONF;
  files[`${node}/etc/resolv.conf`] = `# Generated by NetworkManager
search eu-west-1.compute.internal
nameserver 10.0.0.2
options timeout:2 attempts:3
`;
  files[`${node}/var/lib/kubelet/config.yaml`] = `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
clusterDNS:
- ${DNS_IP}
clusterDomain: cluster.local
containerRuntimeEndpoint: ""
cpuManagerReconcilePeriod: 0s
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageMinimumGCAge: 0s
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
resolvConf: /etc/resolv.conf
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
`;
  return files;
}

// ---------------------------------------------------------------- main

function parseArgs(argv) {
  const opts = { apps: 2000, out: null, seed: 1, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    if (a === "--apps") opts.apps = Number(value());
    else if (a === "--out") opts.out = value();
    else if (a === "--seed") opts.seed = Number(value());
    else if (a === "--quiet") opts.quiet = true;
    else if (a === "-h" || a === "--help") {
      process.stdout.write("usage: node bench/generate.mjs [--apps N] [--out DIR] [--seed S] [--quiet]\n");
      process.exit(0);
    } else fail(`unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.apps) || opts.apps < 1) fail("--apps must be a positive integer");
  if (!Number.isInteger(opts.seed)) fail("--seed must be an integer");
  opts.out ??= path.join(BENCH_DIR, "out", `repo-${opts.apps}`);
  return opts;
}

function fail(msg) {
  process.stderr.write(`generate: ${msg}\n`);
  process.exit(2);
}

/** Generate the repository; returns { files, bytes, documents, apps, teams, out }. */
export function generate({ apps, out, seed = 1 }) {
  const r = makeRandom(seed);
  if (existsSync(out)) rmSync(out, { recursive: true, force: true });
  let files = 0;
  let bytes = 0;
  let documents = 0;
  const made = new Set();
  const write = (rel, text) => {
    const abs = path.join(out, rel);
    const dir = path.dirname(abs);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(abs, text);
    files++;
    bytes += Buffer.byteLength(text);
    if (rel.endsWith(".yaml") || rel.endsWith(".yml")) {
      documents += text.split(/^---[ \t]*$/m).filter((d) => /^kind:/m.test(d)).length;
    } else documents++;
  };

  // Teams: the number grows slowly with the number of apps, as in a real organisation.
  const nTeams = Math.min(TEAMS.length, Math.max(3, Math.round(Math.sqrt(apps) / 3)));
  const teams = TEAMS.slice(0, nTeams);
  for (const team of teams) write(`apps/${team}/namespace.yaml`, namespaceFile(team));
  const used = new Set();
  for (let i = 0; i < apps; i++) {
    const team = teams[Math.floor(r.next() * teams.length)];
    let app = `${r.pick(SUBJECTS)}-${r.pick(NOUNS)}`;
    if (used.has(`${team}/${app}`)) {
      let k = 2;
      while (used.has(`${team}/${app}-${k}`)) k++;
      app = `${app}-${k}`;
    }
    used.add(`${team}/${app}`);
    for (const [name, text] of Object.entries(appFiles(r, team, app, team))) write(`apps/${team}/${app}/${name}`, text);
  }
  for (const [rel, text] of Object.entries(clusterFiles())) write(rel, text);
  return { out, apps, teams: teams.length, files, bytes, documents };
}

// ---------------------------------------------------------------- many findings in one file (issue 13)

/**
 * One file each with a finding per key or block, for the cost of a finding rather than of a file:
 * a KubeProxyConfiguration and a KubeletConfiguration with 300,000 unknown keys
 * (kube-proxy/unknown-field, kubelet/unknown-field, one warning each) and a Corefile of 100,000
 * server blocks that forward without `loop` (coredns/loop-plugin-missing, one warning each).
 * `findings` is what the lint must report; `out` gets one directory per case.
 */
export const MANY_FINDINGS_CASES = [
  {
    name: "kube-proxy-300k-unknown-keys",
    file: "kube-proxy.yaml",
    findings: 300_000,
    text: () => "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.244.0.0/16\nmode: iptables\n" + unknownKeys(300_000),
  },
  {
    name: "kubelet-300k-unknown-keys",
    file: "config.yaml",
    findings: 300_000,
    text: () => "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nclusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\n" + unknownKeys(300_000),
  },
  {
    name: "corefile-100k-server-blocks",
    file: "Corefile",
    findings: 100_000,
    text: () => {
      const blocks = [];
      for (let i = 0; i < 100_000; i++) blocks.push(`z${i}.example:53 {\n  forward . 1.1.1.1\n}\n`);
      return blocks.join("");
    },
  },
];

function unknownKeys(n) {
  const lines = [];
  for (let i = 0; i < n; i++) lines.push(`unknownKey${i}: ${i}\n`);
  return lines.join("");
}

/** Write the many-findings cases under `out` (one directory each) unless they are there. */
export function generateManyFindings(out) {
  return MANY_FINDINGS_CASES.map((c) => {
    const dir = path.join(out, c.name);
    const file = path.join(dir, c.file);
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, c.text());
    }
    return { name: c.name, dir, file, findings: c.findings };
  });
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const opts = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const s = generate(opts);
  const ms = performance.now() - t0;
  if (!opts.quiet) {
    process.stdout.write(
      `generated ${path.relative(process.cwd(), s.out) || "."}: ${s.apps} apps, ${s.teams} teams, ${s.files} files, ` +
        `${s.documents} documents, ${s.bytes} bytes (${(s.bytes / 1e6).toFixed(1)} MB, ${Math.round(s.bytes / s.documents)} B/document, ` +
        `${(s.files / s.apps).toFixed(2)} files/app) in ${(ms / 1000).toFixed(1)} s\n`,
    );
  }
}
