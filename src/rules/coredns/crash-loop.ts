import { defineRule } from "../../engine/rule.js";
import { isCorednsPod } from "../../model/observed/components.js";
import { checkCrashLoop } from "../lib/crash-loop.js";

export default defineRule({
  meta: { id: "coredns/crash-loop", severity: "error", symptom: true, summary: "CoreDNS pods in CrashLoopBackOff, Error or OOMKilled, with the cause from their last logs and the configuration finding behind it" },
  check(context) {
    checkCrashLoop(context, {
      component: "CoreDNS",
      isPod: isCorednsPod,
      isContainer: (c) => c.name === "coredns" || /(^|\/)coredns(:|@|$)/.test(c.image),
      site: "coredns-log",
      checkNext: "Get its last log (kubectl logs -n kube-system POD --previous) and look for: a loop detected by plugin/loop (forward . /etc/resolv.conf reaching a node-local stub such as 127.0.0.53), \"bind: permission denied\" (capabilities dropped without NET_BIND_SERVICE; SELinux with an old Docker and allowPrivilegeEscalation: false), or a Corefile that does not parse; add the CoreDNS ConfigMap and node files to the snapshot so kube-netlint can check them",
    });
  },
});
