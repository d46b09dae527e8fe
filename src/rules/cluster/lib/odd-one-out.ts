/**
 * Blame the odd one out. When the sources of one fact (the pod CIDR, the service CIDR) disagree,
 * the value most sources agree with is the reference, and the finding goes to the sources that
 * disagree with it, naming who agrees. With as many sources on each side, the more authoritative
 * source decides (the rank tables below, documented per fact in the rule docs).
 *
 * Every rule that compares sources of these facts asks this module, and reports only the odd sources
 * of the kinds it owns: kube-proxy/cluster-cidr-mismatch kube-proxy's clusterCIDR,
 * cni/subnet-outside-pod-cidr flannel's Network and Calico pools, cluster/conflicting-facts kubeadm,
 * the control-plane flags, the config file's facts and Node podCIDRs. So one disagreement gives one
 * finding, on the source to edit.
 */
import type { ClusterModel } from "../../../model/types.js";
import { where } from "../../lib/locations.js";
import { cidrContains, parseCIDR, type ParsedCIDR } from "../../../parsers/net.js";
import { cidrSources, describeSource, normCidr, ofFamily, type CidrSource } from "./facts.js";
import { Scopes } from "./scope.js";

/**
 * How a source's value must relate to the fact: state it (`equal`), lie inside it (`within`: a Calico
 * pool, a node's podCIDR), or contain it (`contains`: flannel's Network holds every node's podCIDR).
 * `within` sources vote but never propose a value: a part of the range does not say what the range is.
 */
export type Relation = "equal" | "within" | "contains";

export interface Claim extends CidrSource {
  relation: Relation;
  /** Authority: lower decides a tie. */
  rank: number;
}

/**
 * Pod CIDR: kubeadm's podSubnet first (kubeadm renders the controller manager's --cluster-cidr and
 * kube-proxy's clusterCIDR from it, and `kubeadm upgrade` renders them again), then the controller
 * manager's --cluster-cidr (what node podCIDRs are allocated from), the config file's facts, the
 * nodes' podCIDRs, flannel's Network, Calico's pool, and kube-proxy's clusterCIDR last (kube-proxy only
 * reads it to tell pod traffic from the rest).
 */
export const POD_CIDR_AUTHORITY: Record<string, { rank: number; relation: Relation }> = {
  kubeadm: { rank: 0, relation: "equal" },
  "kube-controller-manager": { rank: 1, relation: "equal" },
  // A distribution's own config (kind, k3s/RKE2, Cluster API, Talos, kops: src/model/sources).
  distribution: { rank: 1.5, relation: "equal" },
  facts: { rank: 2, relation: "equal" },
  node: { rank: 3, relation: "within" },
  flannel: { rank: 4, relation: "contains" },
  calico: { rank: 5, relation: "within" },
  // Cilium's cluster-pool and Weave's IPALLOC_RANGE (src/model/sources): pools like Calico's.
  cilium: { rank: 5, relation: "within" },
  weave: { rank: 5, relation: "within" },
  "kube-proxy": { rank: 6, relation: "equal" },
};

/**
 * Service CIDR: kubeadm's serviceSubnet (renders both flags), the apiserver's
 * --service-cluster-ip-range (it allocates the ClusterIPs), the controller manager's (it keeps node
 * podCIDRs out of it), the config file's facts.
 */
export const SERVICE_CIDR_AUTHORITY: Record<string, { rank: number; relation: Relation }> = {
  kubeadm: { rank: 0, relation: "equal" },
  "kube-apiserver": { rank: 1, relation: "equal" },
  "kube-controller-manager": { rank: 2, relation: "equal" },
  distribution: { rank: 2.5, relation: "equal" },
  facts: { rank: 3, relation: "equal" },
};

export interface Verdict {
  claim: Claim;
  family: 4 | 6;
  /** The value the others agree on, in this family. */
  reference: ParsedCIDR[];
  /** The sources that agree with the reference (most authoritative first). */
  agreeing: Claim[];
  /** The reference won a tie on authority, not on numbers. */
  byAuthority: boolean;
  /** "differs from", "is not inside", "does not contain" the reference. */
  why: string;
}

/** How many agreeing sources a message names (and points at). */
const MAX_NAMED = 3;

const key = (cidrs: ParsedCIDR[]) => cidrs.map(normCidr).sort().join(",");

function consistent(c: Claim, family: 4 | 6, ref: ParsedCIDR[]): boolean {
  const mine = ofFamily(c, family);
  if (c.relation === "equal") return key(mine) === key(ref);
  if (c.relation === "within") return mine.every((m) => ref.some((r) => cidrContains(r, m)));
  return ref.every((r) => mine.some((m) => cidrContains(m, r)));
}

/** One source's vote: the value it proposes for the fact (null: it only agrees or not), and its authority (lower wins a tie). */
export interface Ballot<T> {
  voter: T;
  proposes: string | null;
  rank: number;
}

/**
 * The value most voters agree with; on a tie, the one the most authoritative proposer states. Any
 * fact can be voted on this way: CIDRs (below), the cluster domain (kubelet/cluster-domain-mismatch).
 */
export function majority<T>(ballots: readonly Ballot<T>[], agrees: (voter: T, value: string) => boolean): { value: string; agreeing: T[]; byAuthority: boolean } | null {
  const candidates = new Map<string, number>();
  for (const b of ballots) if (b.proposes !== null) candidates.set(b.proposes, Math.min(candidates.get(b.proposes) ?? Infinity, b.rank));
  if (candidates.size === 0) return null;
  const scored = [...candidates].map(([value, rank]) => ({ value, rank, agreeing: ballots.filter((b) => agrees(b.voter, value)).sort((x, y) => x.rank - y.rank).map((b) => b.voter) }));
  scored.sort((a, b) => b.agreeing.length - a.agreeing.length || a.rank - b.rank);
  const best = scored[0]!;
  return { value: best.value, agreeing: best.agreeing, byAuthority: scored.length > 1 && scored[1]!.agreeing.length === best.agreeing.length };
}

/** The odd ones among `claims` (each judged only with the sources of its own cluster's scope). */
export function oddOnesOut(claims: readonly Claim[]): Map<Claim, Verdict> {
  const scopes = new Scopes(claims);
  const out = new Map<Claim, Verdict>();
  // Claims with the same peers share one vote (a snapshot's nodes): computed once per peer set and family.
  const votes = new Map<string, { refs: Map<string, ParsedCIDR[]>; best: ReturnType<typeof majority<Claim>>; agrees: Set<Claim> }>();
  for (const s of claims) {
    const pk = scopes.peerKey(s);
    for (const family of [4, 6] as const) {
      if (ofFamily(s, family).length === 0) continue;
      let vote = votes.get(`${pk}\u0000${family}`);
      if (!vote) {
        const voters = claims.filter((t) => ofFamily(t, family).length > 0 && (t === s || scopes.together(s, t)));
        const refs = new Map(voters.map((t) => [key(ofFamily(t, family)), ofFamily(t, family)]));
        const ballots = voters.map((t) => ({ voter: t, proposes: t.relation === "within" ? null : key(ofFamily(t, family)), rank: t.rank }));
        const best = majority(ballots, (t, k) => consistent(t, family, refs.get(k)!));
        vote = { refs, best, agrees: new Set(best?.agreeing ?? []) };
        votes.set(`${pk}\u0000${family}`, vote);
      }
      const { refs, best } = vote;
      if (!best || vote.agrees.has(s)) continue;
      const why = s.relation === "within" ? "is not inside" : s.relation === "contains" ? "does not contain" : "differs from";
      out.set(s, { claim: s, family, reference: refs.get(best.value)!, agreeing: best.agreeing, byAuthority: best.byAuthority, why });
      break;
    }
  }
  return out;
}

function claimsOf(sources: CidrSource[], table: Record<string, { rank: number; relation: Relation }>): Claim[] {
  return sources.flatMap((s) => {
    const a = table[s.kind];
    return a ? [{ ...s, relation: a.relation, rank: a.rank }] : [];
  });
}

/** kube-proxy's clusterCIDR as a pod CIDR source (it is a consumer, not a fact of the model). */
function kubeProxySources(cluster: ClusterModel): CidrSource[] {
  const out: CidrSource[] = [];
  for (const cfg of cluster.kubeProxyConfigs) {
    const raw = cfg.value.clusterCIDR;
    if (typeof raw !== "string" || raw.trim() === "") continue;
    const cidrs = raw.split(",").map((v) => parseCIDR(v.trim(), { sloppy: true }));
    if (cidrs.some((c) => !c)) continue;
    const loc = cfg.rangeAt(["clusterCIDR"]) ?? cfg.locate(["clusterCIDR"]);
    out.push({ kind: "kube-proxy", file: cfg.object.file.path, origin: "kube-proxy clusterCIDR", facts: [], cidrs: cidrs as ParsedCIDR[], loc, within: false });
  }
  return out;
}

/** Every pod CIDR source of the cluster, kube-proxy's clusterCIDR included, and the odd ones among them. */
type Verdicts = { claims: Claim[]; odd: Map<Claim, Verdict> };
// Three rules ask for the same vote: computed once per cluster model.
const podCache = new WeakMap<ClusterModel, Verdicts>();
const serviceCache = new WeakMap<ClusterModel, Verdicts>();

export function podCidrVerdicts(cluster: ClusterModel): Verdicts {
  let v = podCache.get(cluster);
  if (!v) {
    const claims = claimsOf([...cidrSources(cluster.facts.podCIDRs), ...kubeProxySources(cluster)], POD_CIDR_AUTHORITY);
    podCache.set(cluster, (v = { claims, odd: oddOnesOut(claims) }));
  }
  return v;
}

export function serviceCidrVerdicts(cluster: ClusterModel): Verdicts {
  let v = serviceCache.get(cluster);
  if (!v) {
    const claims = claimsOf(cidrSources(cluster.facts.serviceCIDRs), SERVICE_CIDR_AUTHORITY);
    serviceCache.set(cluster, (v = { claims, odd: oddOnesOut(claims) }));
  }
  return v;
}

/**
 * "differs from the pod CIDR 10.244.0.0/16 stated by kubeadm ... (kubeadm.yaml:6) and kube-proxy
 * clusterCIDR (kube-proxy.yaml:13)", with the tie note when authority decided.
 */
export function describeVerdict(v: Verdict, what: string): string {
  // The most authoritative first; a snapshot's thousands of nodes are counted, not listed.
  const names = v.agreeing.slice(0, MAX_NAMED).map((a) => describeSource(a, where));
  if (v.agreeing.length > MAX_NAMED) names.push(`${v.agreeing.length - MAX_NAMED} other sources`);
  const list = names.length <= 2 ? names.join(" and ") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  const tie = v.byAuthority ? ` (a tie: as many sources state another value, and the more authoritative source decides)` : "";
  return `${v.why} the ${what} ${v.reference.map(normCidr).join(",")} stated by ${list}${tie}`;
}

/** The source's own value in the verdict's family. */
export const ownValue = (v: Verdict): string => ofFamily(v.claim, v.family).map(normCidr).join(",");

/** Related locations: the sources that agree. */
export function agreeingRelated(v: Verdict): { loc: NonNullable<Claim["loc"]>; message: string }[] {
  return v.agreeing.filter((a) => a.loc).slice(0, MAX_NAMED).map((a) => ({ loc: a.loc!, message: `${a.origin}: ${ofFamily(a, v.family).map(normCidr).join(",")}` }));
}

