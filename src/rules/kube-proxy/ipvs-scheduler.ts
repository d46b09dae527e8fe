import { defineRule } from "../../engine/rule.js";
import { closest } from "../lib/closest.js";
import { parseKubernetesVersion } from "./lib/validate.js";
import { kubeProxyVersion } from "./lib/workload.js";

/** The IPVS schedulers kube-proxy accepts (the kernel's ip_vs_* scheduler modules). */
export const IPVS_SCHEDULERS = ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "sh", "dh", "sed", "nq", "mh"] as const;

export default defineRule({
  meta: { id: "kube-proxy/ipvs-scheduler", severity: "warning", summary: "An ipvs.scheduler that IPVS does not have; info: the ipvs mode is deprecated since Kubernetes 1.35" },
  check({ cluster, report }) {
    for (const cfg of cluster.kubeProxyConfigs) {
      const mode = cfg.value.mode;
      const scheduler = (cfg.value.ipvs as { scheduler?: unknown } | undefined)?.scheduler;
      if (typeof scheduler === "string" && scheduler !== "" && !(IPVS_SCHEDULERS as readonly string[]).includes(scheduler)) {
        const guess = closest(scheduler, IPVS_SCHEDULERS);
        const inactive = mode === "ipvs" ? "" : ` (mode is ${typeof mode === "string" && mode !== "" ? mode : "unset, i.e. iptables"}, so this bites only when the mode changes to ipvs)`;
        report({
          loc: cfg.rangeAt(["ipvs", "scheduler"]) ?? cfg.locate(["ipvs", "scheduler"]),
          field: "ipvs.scheduler",
          message: `ipvs.scheduler ${JSON.stringify(scheduler)} is not an IPVS scheduler (${IPVS_SCHEDULERS.join(" ")})${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ""}: the kernel has no ip_vs_${scheduler} module, so kube-proxy cannot program the Services' IPVS virtual servers with it (depending on the release it refuses the ipvs mode or fails on every Service) and Service traffic on the node is not load-balanced${inactive}`,
        });
      }
      if (mode !== "ipvs") continue;
      const version = kubeProxyVersion(cluster, cfg);
      const v = parseKubernetesVersion(version?.version);
      if (!version || !v || v.major < 1 || (v.major === 1 && v.minor < 35)) continue;
      report({
        loc: cfg.rangeAt(["mode"]) ?? cfg.locate(["mode"]),
        field: "mode",
        severity: "info",
        message: `mode ipvs is deprecated since Kubernetes 1.35 (this is kube-proxy ${version.version}, from ${version.origin}): plan the move to nftables (or iptables); kubeadm warns about it at init and upgrade`,
      });
    }
  },
});
