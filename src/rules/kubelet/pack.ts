/** kubelet rules. */
import type { Rule } from "../../engine/rule.js";

export const kubeletPackRules: readonly Rule[] = [];
