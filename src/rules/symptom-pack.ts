/**
 * The symptom rules: what the snapshot shows the cluster doing, tied to the configuration findings
 * that cause it. The engine runs them after every other rule; among themselves in this order, so
 * a later one can name an earlier one's finding (CoreDNS Pending because the node's network is not
 * ready; kube-dns without endpoints because CoreDNS crash-loops).
 */
import type { Rule } from "../engine/rule.js";
import networkNotReady from "./cni/network-not-ready.js";
import sandboxFailed from "./cni/sandbox-failed.js";
import kubeProxyCrashLoop from "./kube-proxy/crash-loop.js";
import corednsCrashLoop from "./coredns/crash-loop.js";
import corednsPodsPending from "./coredns/pods-pending.js";
import corednsNoEndpoints from "./coredns/no-endpoints.js";

export const symptomRules: readonly Rule[] = [networkNotReady, sandboxFailed, kubeProxyCrashLoop, corednsCrashLoop, corednsPodsPending, corednsNoEndpoints];
