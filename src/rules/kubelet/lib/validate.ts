/**
 * KubeletConfiguration (kubelet.config.k8s.io/v1beta1) checks, following what the
 * kubelet does with its --config file:
 *
 * 1. decode (strict, then lenient): unknown fields -> "unknown-field", undecodable
 *    values -> "wrong-type";
 * 2. v1beta1 defaulting of the fields checked here (zero means unset for non-pointers);
 * 3. ValidateKubeletConfiguration (pkg/kubelet/apis/config/validation) for the
 *    networking-relevant fields and the simple numeric ranges -> "invalid";
 * 4. what the kubelet silently drops or misuses at runtime: clusterDNS entries that are not
 *    IPs (kubelet.go logs "Invalid clusterDNS IP" and drops them), a clusterDomain that is
 *    not a DNS-1123 subdomain, a relative resolvConf path, a malformed podCIDR -> "invalid"
 *    with a message that says the kubelet itself does not reject it.
 *
 * See shared/research/cni-proxy-kubelet-spec.md section 4.1.
 */
import { validateKubeletConfig } from "../../../generated/validators.js";

import { closest } from "../../lib/closest.js";
import { describeValue, validatedConfig, type ConfigProblem } from "../../lib/config-problem.js";
import { cidrFamily, parseCIDR, parseIP } from "../../../parsers/net.js";
import {
  KNOWN_FEATURE_GATES,
  ProblemReporter,
  validateLogging,
} from "../../kube-proxy/lib/validate.js";
import { KUBELET_FIELD_ALIASES, KUBELET_FIELD_NOTES, kubeletConfigSchema } from "./schema.js";

export type { ConfigProblem } from "../../lib/config-problem.js";

export interface KubeletCheckOptions {
  /** OS the kubelet runs on (resolvConf may be a Windows path there). Default "linux". */
  platform?: "linux" | "windows";
  /** Kubelet version ("1.31", "v1.33.2"); accepted for API symmetry, no rule depends on it yet. */
  kubernetesVersion?: string;
  /** Apply v1beta1 defaulting before validation (default true). */
  applyDefaults?: boolean;
}


type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function unset(v: unknown): boolean {
  return v === undefined || v === null;
}

function int(v: unknown): number | undefined {
  return typeof v === "number" && Number.isInteger(v) ? v : undefined;
}

/**
 * The v1beta1 defaults (SetDefaults_KubeletConfiguration) of the fields this module
 * validates. Returns a new object.
 */
export function applyKubeletDefaults(config: Record<string, unknown>): Record<string, unknown> {
  const c = structuredClone(config) as Obj;
  const zeroInt = (k: string, v: number): void => {
    if (unset(c[k]) || c[k] === 0) c[k] = v;
  };
  const nilInt = (k: string, v: number): void => {
    if (unset(c[k])) c[k] = v;
  };
  const emptyStr = (k: string, v: string): void => {
    if (unset(c[k]) || c[k] === "") c[k] = v;
  };
  emptyStr("address", "0.0.0.0");
  zeroInt("port", 10250);
  nilInt("readOnlyPort", 0);
  nilInt("healthzPort", 10248);
  emptyStr("healthzBindAddress", "127.0.0.1");
  emptyStr("hairpinMode", "promiscuous-bridge");
  zeroInt("maxPods", 110);
  nilInt("oomScoreAdj", -999);
  nilInt("iptablesMasqueradeBit", 14);
  nilInt("iptablesDropBit", 15);
  if (unset(c.resolvConf)) c.resolvConf = "/etc/resolv.conf";
  zeroInt("nodeLeaseDurationSeconds", 40);
  nilInt("registryPullQPS", 5);
  zeroInt("registryBurst", 10);
  nilInt("eventRecordQPS", 50);
  zeroInt("eventBurst", 100);
  nilInt("kubeAPIQPS", 50);
  zeroInt("kubeAPIBurst", 100);
  nilInt("imageGCHighThresholdPercent", 85);
  nilInt("imageGCLowThresholdPercent", 80);
  zeroInt("maxOpenFiles", 1000000);
  emptyStr("containerRuntimeEndpoint", "unix:///run/containerd/containerd.sock");
  if (unset(c.featureGates)) c.featureGates = {};
  const logging = isObj(c.logging) ? c.logging : unset(c.logging) ? (c.logging = {}) : {};
  if (isObj(logging) && (unset(logging.format) || logging.format === "")) logging.format = "text";
  return c;
}

const HAIRPIN_MODES = ["promiscuous-bridge", "hairpin-veth", "none"];

/** DNS-1123 subdomain (k8s.io/apimachinery IsDNS1123Subdomain). */
function isDNS1123Subdomain(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false;
  return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s);
}

function validateSemantics(r: ProblemReporter, c: Obj, platform: "linux" | "windows"): void {
  const range = (field: string, flag: string, lo: number, hi: number): void => {
    const v = int(c[field]);
    if (v !== undefined && (v < lo || v > hi)) {
      r.invalid(field, `${field} (--${flag}) ${v} must be between ${lo} and ${hi}, inclusive`);
    }
  };
  const nonNegative = (field: string, flag: string): void => {
    const v = int(c[field]);
    if (v !== undefined && v < 0) {
      r.invalid(field, `${field} (--${flag}) ${v} must not be a negative number`);
    }
  };

  // Feature gates (SetFromMap fails on unknown names).
  if (isObj(c.featureGates)) {
    for (const name of Object.keys(c.featureGates)) {
      if (!KNOWN_FEATURE_GATES.has(name)) {
        const s = closest(name, KNOWN_FEATURE_GATES);
        r.invalid("featureGates", `unrecognized feature gate: ${name}${s ? ` (did you mean "${s}"?)` : ""}; the kubelet fails to start`);
      }
    }
  }

  // Ports.
  range("port", "port", 1, 65535);
  range("readOnlyPort", "read-only-port", 0, 65535);
  range("healthzPort", "healthz-port", 0, 65535);

  // Networking.
  const hairpin = c.hairpinMode;
  if (typeof hairpin === "string" && !HAIRPIN_MODES.includes(hairpin)) {
    r.invalid(
      "hairpinMode",
      `option ${JSON.stringify(hairpin)} specified for hairpinMode (--hairpin-mode); valid options are "promiscuous-bridge", "hairpin-veth" or "none"`,
    );
  }
  range("iptablesMasqueradeBit", "iptables-masquerade-bit", 0, 31);
  range("iptablesDropBit", "iptables-drop-bit", 0, 31);

  if (typeof c.address === "string" && !parseIP(c.address, { sloppy: true })) {
    r.invalid("address", `address ${JSON.stringify(c.address)} must be an IP address (e.g. "0.0.0.0" or "::"); the kubelet cannot serve on it`);
  }

  if (Array.isArray(c.clusterDNS)) {
    let valid = 0;
    let undecidable = false;
    c.clusterDNS.forEach((entry, i) => {
      if (typeof entry !== "string") {
        undecidable = true;
        return;
      }
      if (parseIP(entry, { sloppy: true })) {
        valid++;
        return;
      }
      r.invalid(
        `clusterDNS[${i}]`,
        `clusterDNS[${i}] ${JSON.stringify(entry)} is not an IP address: the kubelet logs "Invalid clusterDNS IP" and drops it` +
          (entry.includes(":") && /^\d/.test(entry) && entry.split(":").length === 2 ? " (no port is allowed)" : ""),
      );
    });
    if (valid === 0 && !undecidable && c.clusterDNS.length > 0) {
      // Reported on the list: nothing usable is left.
      r.invalid(
        "clusterDNS",
        "clusterDNS has no usable IP address: pods with dnsPolicy ClusterFirst fall back to the node's resolv.conf (MissingClusterDNS event)",
      );
    }
  }

  if (typeof c.clusterDomain === "string" && c.clusterDomain !== "" && !isDNS1123Subdomain(c.clusterDomain)) {
    r.invalid(
      "clusterDomain",
      `clusterDomain ${JSON.stringify(c.clusterDomain)} must be a lowercase DNS-1123 subdomain such as "cluster.local" (no trailing dot); the kubelet does not check it but builds every pod's DNS search path from it`,
    );
  }

  if (typeof c.resolvConf === "string" && c.resolvConf !== "") {
    const abs = c.resolvConf.startsWith("/") || (platform === "windows" && /^([A-Za-z]:[\\/]|\\\\)/.test(c.resolvConf));
    if (!abs) {
      r.invalid(
        "resolvConf",
        `resolvConf ${JSON.stringify(c.resolvConf)} must be an absolute path to a resolver file (e.g. "/etc/resolv.conf" or "/run/systemd/resolve/resolv.conf"), or "" to disable host DNS inheritance`,
      );
    }
  }

  if (typeof c.podCIDR === "string" && c.podCIDR !== "") {
    const items = c.podCIDR.split(",");
    const parsed = items.map((s) => parseCIDR(s, { sloppy: true }));
    parsed.forEach((p, i) => {
      if (!p) r.invalid("podCIDR", `podCIDR entry ${JSON.stringify(items[i])} must be a valid CIDR (e.g. "10.244.1.0/24")`);
    });
    if (parsed.every((p) => p) && (items.length > 2 || (items.length === 2 && cidrFamily(parsed[0]!) === cidrFamily(parsed[1]!)))) {
      r.invalid("podCIDR", `podCIDR ${JSON.stringify(c.podCIDR)} must be a single CIDR or a dual-stack pair (one IPv4, one IPv6)`);
    }
  }

  // Capacity and process settings.
  nonNegative("maxPods", "max-pods");
  nonNegative("podsPerCore", "pods-per-core");
  range("oomScoreAdj", "oom-score-adj", -1000, 1000);
  nonNegative("maxOpenFiles", "max-open-files");

  // Client rate limits and leases.
  nonNegative("registryPullQPS", "registry-qps");
  nonNegative("registryBurst", "registry-burst");
  nonNegative("eventRecordQPS", "event-qps");
  nonNegative("eventBurst", "event-burst");
  nonNegative("kubeAPIQPS", "kube-api-qps");
  nonNegative("kubeAPIBurst", "kube-api-burst");
  const lease = int(c.nodeLeaseDurationSeconds);
  if (lease !== undefined && lease <= 0) {
    r.invalid("nodeLeaseDurationSeconds", `nodeLeaseDurationSeconds ${lease} must be greater than 0`);
  }

  range("imageGCHighThresholdPercent", "image-gc-high-threshold", 0, 100);
  range("imageGCLowThresholdPercent", "image-gc-low-threshold", 0, 100);
  const hi = int(c.imageGCHighThresholdPercent);
  const lo = int(c.imageGCLowThresholdPercent);
  if (hi !== undefined && lo !== undefined && lo >= hi && hi >= 0 && hi <= 100 && lo >= 0 && lo <= 100) {
    r.invalid(
      "imageGCLowThresholdPercent",
      `imageGCLowThresholdPercent (--image-gc-low-threshold) ${lo} must be less than imageGCHighThresholdPercent (--image-gc-high-threshold) ${hi}`,
      ["imageGCHighThresholdPercent"],
    );
  }

  validateLogging(r, c);
}

function suggest(name: string, candidates: string[]): string | undefined {
  const alias = Object.hasOwn(KUBELET_FIELD_ALIASES, name) ? KUBELET_FIELD_ALIASES[name] : undefined;
  if (alias && candidates.includes(alias)) return alias;
  return closest(name, candidates);
}

/**
 * Check a KubeletConfiguration object (as parsed from YAML/JSON): unknown fields and
 * wrong types first, then the kubelet's defaulting and validation of the networking
 * fields and simple ranges. Invalid-checks only run on values of the right type.
 */
export function checkKubeletConfig(config: unknown, opts: KubeletCheckOptions = {}): ConfigProblem[] {
  if (!isObj(config)) {
    return [{ kind: "wrong-type", field: "", message: `a KubeletConfiguration must be a mapping, got ${describeValue(config)}` }];
  }
  // Compiled ahead of time (scripts/gen-validators.mjs).
  const { problems, badPaths, known } = validatedConfig(kubeletConfigSchema(), validateKubeletConfig, config, suggest, (path) => (Object.hasOwn(KUBELET_FIELD_NOTES, path) ? KUBELET_FIELD_NOTES[path] : undefined));
  const effective = opts.applyDefaults === false ? config : applyKubeletDefaults(known);
  const r = new ProblemReporter(badPaths);
  validateSemantics(r, effective, opts.platform ?? "linux");
  return [...problems, ...r.problems];
}
