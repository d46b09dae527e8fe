/** kube-proxy rules beyond cluster-cidr-mismatch. */
import type { Rule } from "../../engine/rule.js";

export const kubeProxyPackRules: readonly Rule[] = [];
