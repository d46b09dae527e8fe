/**
 * The values of the config's `facts` (the schema checks their types): CIDRs, IPs and the cluster
 * domain are parsed as Kubernetes parses them, so a typo fails the run (exit 2) instead of being
 * compared with the repository's sources as if it were a fact.
 */
import { cidrFamily, ipFamily, parseCIDR, parseIP } from "../parsers/net.js";

/** RFC 1123 subdomain, as Kubernetes validates clusterDomain (k8s.io/apimachinery validation.IsDNS1123Subdomain); a trailing dot is allowed. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function dualStack(value: string, parse: (s: string) => 4 | 6 | null, what: string, example: string): string | null {
  const parts = value.split(",").map((s) => s.trim());
  if (parts.length > 2) return `at most two ${what}s (one IPv4, one IPv6) for dual stack, got ${parts.length}`;
  const families: (4 | 6)[] = [];
  for (const p of parts) {
    const fam = parse(p);
    if (fam === null) return `${JSON.stringify(p)} is not ${what === "CIDR" ? "a CIDR" : "an IP address"} (e.g. ${example})`;
    families.push(fam);
  }
  if (families.length === 2 && families[0] === families[1]) return `dual stack needs one IPv4 and one IPv6 ${what}, got two IPv${families[0]}`;
  return null;
}

/** [field, problem] for every fact value that is wrong. */
export function checkFacts(facts: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  const str = (k: string) => (typeof facts[k] === "string" ? (facts[k] as string) : null);
  const cidr = (s: string) => {
    const c = parseCIDR(s);
    return c ? cidrFamily(c) : null;
  };
  const ip = (s: string) => {
    const i = parseIP(s);
    return i ? ipFamily(i) : null;
  };
  for (const k of ["podCIDR", "serviceCIDR"]) {
    const v = str(k);
    const problem = v === null ? null : dualStack(v, cidr, "CIDR", k === "podCIDR" ? "10.244.0.0/16" : "10.96.0.0/12");
    if (problem) out.push([k, problem]);
  }
  const dns = str("clusterDNS");
  if (dns !== null) {
    const problem = dualStack(dns, ip, "IP", "10.96.0.10");
    if (problem) out.push(["clusterDNS", problem]);
  }
  const domain = str("clusterDomain");
  if (domain !== null) {
    const d = domain.replace(/\.$/, "");
    if (d.length > 253 || !d.split(".").every((l) => l.length <= 63 && DNS_LABEL.test(l))) {
      out.push(["clusterDomain", `${JSON.stringify(domain)} is not a DNS domain name (lower-case labels of letters, digits and '-', e.g. cluster.local)`]);
    }
  }
  return out;
}
