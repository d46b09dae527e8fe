import { defineRule } from "../../engine/rule.js";
import { isKubeProxyPod } from "../../model/observed/components.js";
import { checkCrashLoop } from "../lib/crash-loop.js";

export default defineRule({
  meta: { id: "kube-proxy/crash-loop", severity: "error", symptom: true, summary: "kube-proxy pods crashing, with the cause from their last logs and the configuration finding behind it" },
  check(context) {
    checkCrashLoop(context, {
      component: "kube-proxy",
      isPod: isKubeProxyPod,
      isContainer: (c) => c.name === "kube-proxy" || /(^|\/)kube-proxy(:|@|$)/.test(c.image),
      site: "kube-proxy-log",
      checkNext: "Get its last log (kubectl logs -n kube-system POD --previous): \"failed complete: open ...\" means --config names a file the ConfigMap volume does not provide, \"failed validate\" or \"failed to decode\" an invalid KubeProxyConfiguration; add the kube-proxy ConfigMap to the snapshot (kubectl get cm -n kube-system -o json) so kube-netlint can check it",
    });
  },
});
