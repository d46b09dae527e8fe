/** CNI rules beyond the headline ones. */
import type { Rule } from "../../engine/rule.js";

export const cniPackRules: readonly Rule[] = [];
