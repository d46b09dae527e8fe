/** CNI rules beyond the headline ones. */
import type { Rule } from "../../engine/rule.js";
import duplicateNetworkName from "./duplicate-network-name.js";
import ignoredFile from "./ignored-file.js";
import ipamRange from "./ipam-range.js";
import multipleCni from "./multiple-cni.js";
import networkPolicyUnenforced from "./network-policy-unenforced.js";
import pluginBinaryMissing from "./plugin-binary-missing.js";
import pluginOptions from "./plugin-options.js";
import subnetOutsidePodCidr from "./subnet-outside-pod-cidr.js";
import unknownCniVersion from "./unknown-cni-version.js";

export const cniPackRules: readonly Rule[] = [
  ignoredFile,
  duplicateNetworkName,
  unknownCniVersion,
  ipamRange,
  pluginOptions,
  pluginBinaryMissing,
  subnetOutsidePodCidr,
  networkPolicyUnenforced,
  multipleCni,
];
