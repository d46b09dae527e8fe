/** kubelet rules. */
import type { Rule } from "../../engine/rule.js";
import invalidConfig from "./invalid-config.js";
import unknownField from "./unknown-field.js";
import resolvConfLoopback from "./resolv-conf-loopback.js";
import removedFlag from "./removed-flag.js";
import clusterDnsMismatch from "./cluster-dns-mismatch.js";
import clusterDomainMismatch from "./cluster-domain-mismatch.js";

export const kubeletPackRules: readonly Rule[] = [invalidConfig, unknownField, resolvConfLoopback, removedFlag, clusterDnsMismatch, clusterDomainMismatch];
