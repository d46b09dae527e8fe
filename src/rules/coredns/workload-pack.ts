/** CoreDNS rules that join the Corefile with its Deployment, Service, RBAC and nodes. */
import type { Rule } from "../../engine/rule.js";

export const corednsWorkloadRules: readonly Rule[] = [];
