/**
 * Weave Net: the `weave` container's IPALLOC_RANGE env in DaemonSet weave-net, 10.32.0.0/12 when unset
 * (weaveworks/weave prog/weave-kube/launch.sh). Weave allocates pod addresses from it whatever the
 * nodes' podCIDRs say: a `within` fact of the pod CIDR.
 */
import { containers } from "../workloads.js";
import { label, locOf } from "./lib.js";
import type { SourceAdapter } from "./types.js";

const adapter: SourceAdapter = {
  name: "weave",
  kinds: ["DaemonSet"],
  kindFilter: /weave/,
  accepts: (obj) => obj.kind === "DaemonSet" && containers(obj).some((c) => c.name === "weave" && /weave-kube|weaveworks\/weave|weave-net/.test(c.image)),
  collect(ctx) {
    for (const ds of ctx.docs) {
      for (const c of containers(ds)) {
        if (c.name !== "weave") continue;
        const env = Array.isArray(c.value.env) ? (c.value.env as unknown[]) : [];
        const i = env.findIndex((e) => !!e && typeof e === "object" && (e as { name?: unknown }).name === "IPALLOC_RANGE");
        const value = i >= 0 ? (env[i] as { value?: unknown }).value : undefined;
        if (i >= 0 && typeof value !== "string") continue;
        const loc = i >= 0 ? locOf(ds, [...c.path, "env", i, "value"]) : locOf(ds, [...c.path, "name"]);
        const origin = i >= 0 ? `Weave IPALLOC_RANGE (${label(ds)})` : `Weave's default IPALLOC_RANGE 10.32.0.0/12 (${label(ds)} does not set it)`;
        ctx.facts.podCIDRs.push({ value: String(value ?? "10.32.0.0/12").trim(), loc, origin, within: true });
      }
    }
  },
};

export default adapter;
