/** Cluster-wide rules. */
import type { Rule } from "../../engine/rule.js";
import cidrOverlap from "./cidr-overlap.js";
import conflictingFacts from "./conflicting-facts.js";
import serviceCidrSize from "./service-cidr-size.js";

export const clusterPackRules: readonly Rule[] = [cidrOverlap, conflictingFacts, serviceCidrSize];
