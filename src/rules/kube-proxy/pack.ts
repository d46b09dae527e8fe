/** kube-proxy rules beyond cluster-cidr-mismatch. */
import type { Rule } from "../../engine/rule.js";
import invalidConfig from "./invalid-config.js";
import unknownField from "./unknown-field.js";
import wrongType from "./wrong-type.js";
import clusterCidrMissing from "./cluster-cidr-missing.js";
import cidrOverlap from "./cidr-overlap.js";
import configNotMounted from "./config-not-mounted.js";
import kubeconfigNotMounted from "./kubeconfig-not-mounted.js";
import ipvsScheduler from "./ipvs-scheduler.js";
import hostnameOverride from "./hostname-override.js";

export const kubeProxyPackRules: readonly Rule[] = [
  invalidConfig,
  unknownField,
  wrongType,
  clusterCidrMissing,
  cidrOverlap,
  configNotMounted,
  kubeconfigNotMounted,
  ipvsScheduler,
  hostnameOverride,
];
