/** Cluster-wide rules. */
import type { Rule } from "../../engine/rule.js";

export const clusterPackRules: readonly Rule[] = [];
