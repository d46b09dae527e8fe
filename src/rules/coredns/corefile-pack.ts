/** CoreDNS rules that judge the Corefile itself (plugins, options, zones, versions). */
import type { Rule } from "../../engine/rule.js";

export const corednsCorefileRules: readonly Rule[] = [];
