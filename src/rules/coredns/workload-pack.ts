/** CoreDNS rules that join the Corefile with its Deployment, Service, RBAC and nodes. */
import type { Rule } from "../../engine/rule.js";
import probePluginMissing from "./probe-plugin-missing.js";
import metricsNotExposed from "./metrics-not-exposed.js";
import portMismatch from "./port-mismatch.js";
import configmapNotMounted from "./configmap-not-mounted.js";
import importUnresolved from "./import-unresolved.js";
import serviceSelectorMismatch from "./service-selector-mismatch.js";
import servicePortMismatch from "./service-port-mismatch.js";
import rbacInsufficient from "./rbac-insufficient.js";
import memoryLimitLow from "./memory-limit-low.js";
import bindCapability from "./bind-capability.js";
import selinuxPrivilegeEscalation from "./selinux-privilege-escalation.js";
import singleReplica from "./single-replica.js";

export const corednsWorkloadRules: readonly Rule[] = [
  probePluginMissing,
  metricsNotExposed,
  portMismatch,
  configmapNotMounted,
  importUnresolved,
  serviceSelectorMismatch,
  servicePortMismatch,
  rbacInsufficient,
  memoryLimitLow,
  bindCapability,
  selinuxPrivilegeEscalation,
  singleReplica,
];
