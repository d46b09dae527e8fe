/** Every rule, in catalogue order. The registry, `rules`, the README table and SARIF are built from this list. */
import type { Rule } from "../engine/rule.js";
import yamlSyntax from "./yaml/syntax.js";
import unusedSuppression from "./meta/unused-suppression.js";
import ambiguousCluster from "./meta/ambiguous-cluster.js";
import corefileSyntax from "./coredns/corefile-syntax.js";
import podsInsecureMissing from "./coredns/pods-insecure-missing.js";
import forwardLoop from "./coredns/forward-loop.js";
import cniInvalidJson from "./cni/invalid-json.js";
import cniInvalidConfig from "./cni/invalid-config.js";
import cniNoNetwork from "./cni/no-network.js";
import cniConfShadowed from "./cni/conf-shadowed.js";
import kubeProxyClusterCidrMismatch from "./kube-proxy/cluster-cidr-mismatch.js";
import { corednsCorefileRules } from "./coredns/corefile-pack.js";
import { corednsWorkloadRules } from "./coredns/workload-pack.js";
import { cniPackRules } from "./cni/pack.js";
import { kubeProxyPackRules } from "./kube-proxy/pack.js";
import { kubeletPackRules } from "./kubelet/pack.js";
import { clusterPackRules } from "./cluster/pack.js";
import { symptomRules } from "./symptom-pack.js";

export const RULES: readonly Rule[] = [
  yamlSyntax,
  unusedSuppression,
  ambiguousCluster,
  corefileSyntax,
  podsInsecureMissing,
  forwardLoop,
  cniInvalidJson,
  cniInvalidConfig,
  cniNoNetwork,
  cniConfShadowed,
  kubeProxyClusterCidrMismatch,
  ...corednsCorefileRules,
  ...corednsWorkloadRules,
  ...cniPackRules,
  ...kubeProxyPackRules,
  ...kubeletPackRules,
  ...clusterPackRules,
  ...symptomRules,
];

export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.meta.id));

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
