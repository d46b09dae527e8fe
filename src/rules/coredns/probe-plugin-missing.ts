import { defineRule } from "../../engine/rule.js";
import { isLoopbackAddress } from "../../parsers/net.js";
import type { Loc } from "../../model/types.js";
import { directiveArgs } from "../lib/corefile.js";
import { where } from "../lib/locations.js";
import { splitHostPort } from "../../parsers/net.js";
import { asRecord, containerPorts, corednsWorkloads, parsedCorefile, tokenLoc } from "./lib/workload.js";

/** Which plugin answers which probe path, and on which address when it has none. */
const PLUGINS = { "/health": { plugin: "health", address: ":8080" }, "/ready": { plugin: "ready", address: ":8181" } } as const;

const PROBES = [
  { field: "readinessProbe", failure: "the pods never become Ready, so the kube-dns Service has no endpoints and every lookup times out" },
  { field: "livenessProbe", failure: "the kubelet kills CoreDNS after every failureThreshold failed probes: it is restarted forever (CrashLoopBackOff)" },
  { field: "startupProbe", failure: "the startup probe never succeeds and the kubelet restarts CoreDNS forever (CrashLoopBackOff)" },
] as const;

export default defineRule({
  meta: { id: "coredns/probe-plugin-missing", severity: "error", summary: "A /ready or /health probe without the `ready`/`health` plugin, or on another port than the plugin's" },
  check({ cluster, report }) {
    for (const w of corednsWorkloads(cluster)) {
      const cf = parsedCorefile(w);
      if (!cf) continue;
      const cfName = cf.configMap ? `ConfigMap ${cf.configMap.name}'s Corefile` : cf.file.path;
      const cfLoc: Loc = cf.configMap ? cf.configMap.locate(["data", cf.key ?? "Corefile"], "key") : { file: cf.file, start: 0, end: 0 };
      const directives = cf.parse.serverBlocks.flatMap((b) => b.directives);
      for (const probe of PROBES) {
        const base = [...w.container.path, probe.field, "httpGet"];
        const httpGet = asRecord(asRecord(w.container.value[probe.field])?.httpGet);
        if (!httpGet || typeof httpGet.path !== "string") continue;
        const path = httpGet.path.replace(/\?.*$/, "");
        if (path !== "/health" && path !== "/ready") continue;
        const { plugin, address } = PLUGINS[path];
        const pathLoc = w.object.locate([...base, "path"]);
        const instances = directives.filter((d) => d.name === plugin);
        if (instances.length === 0) {
          const byName = typeof httpGet.port === "string" ? containerPorts(w.container).find((p) => p.name === httpGet.port) : undefined;
          report({
            loc: pathLoc,
            message: `the ${probe.field} of container ${w.container.name} gets ${path} on port ${String(httpGet.port)}${byName ? ` (${byName.port})` : ""}, but ${cfName} (${where(cfLoc)}) has no \`${plugin}\` plugin, so nothing answers it: ${probe.failure}. Add \`${plugin}\` to the Corefile's server block`,
            related: [{ loc: cfLoc, message: `the Corefile ${w.object.kind} ${w.object.name} loads` }],
          });
          continue;
        }
        // The port the kubelet probes: a number, or a name resolved through this container's ports.
        const portLoc = w.object.locate([...base, "port"]);
        let probePort: number | null = null;
        if (typeof httpGet.port === "number") probePort = httpGet.port;
        else if (typeof httpGet.port === "string") {
          if (/^[0-9]+$/.test(httpGet.port)) probePort = Number(httpGet.port);
          else {
            const named = containerPorts(w.container).find((p) => p.name === httpGet.port);
            if (!named) {
              report({
                loc: portLoc,
                message: `the ${probe.field} of container ${w.container.name} names port ${httpGet.port}, which the container does not declare (its ports: ${containerPorts(w.container).map((p) => p.name || String(p.port)).join(", ") || "none"}): the probe always fails and ${probe.failure}`,
              });
              continue;
            }
            probePort = named.port;
          }
        }
        if (probePort === null) continue;
        const listens = instances.map((d) => {
          const arg = directiveArgs(d)[0];
          const hp = splitHostPort(arg?.text ?? address);
          return { d, text: arg?.text ?? `${address} (its default)`, host: hp?.host ?? "", port: hp && /^[0-9]+$/.test(hp.port) ? Number(hp.port) : null, loc: tokenLoc(cf, arg ?? d.tokens[0]!) };
        });
        // An address CoreDNS reads from the environment or a placeholder cannot be judged.
        if (listens.some((l) => l.port === null)) continue;
        const match = listens.find((l) => l.port === probePort);
        const named = typeof httpGet.port === "string" && !/^[0-9]+$/.test(httpGet.port) ? ` (${httpGet.port})` : "";
        if (!match) {
          const l = listens[0]!;
          report({
            loc: portLoc,
            message: `the ${probe.field} of container ${w.container.name} gets ${path} on port ${probePort}${named}, but \`${plugin}\` listens on ${l.text} (${where(l.loc)}): ${probe.failure}. Make the probe port and the ${plugin} address agree`,
            related: listens.map((x) => ({ loc: x.loc, message: `${plugin} listens on ${x.text}` })),
          });
          continue;
        }
        const probeHost = typeof httpGet.host === "string" ? httpGet.host : "";
        if (isLoopbackAddress(match.host) && !isLoopbackAddress(probeHost)) {
          report({
            loc: portLoc,
            message: `the ${probe.field} of container ${w.container.name} gets ${path} on ${probeHost || "the pod IP"}:${probePort}, but \`${plugin}\` listens on ${match.text} (${where(match.loc)}), a loopback address the kubelet cannot reach: ${probe.failure}`,
            related: [{ loc: match.loc, message: `${plugin} listens on ${match.text}` }],
          });
        }
      }
    }
  },
});
