import { defineRule, type RuleReport } from "../../engine/rule.js";
import type { CniFileArtifact } from "../../model/types.js";
import type { PathSegment } from "../../parsers/yaml.js";
import { formatPath } from "../lib/config-problem.js";
import { asObject, asString, field, isTrue, keyLoc, mapKey, nodeLoc, type JsonNode, type JsonObject } from "./lib/json.js";
import { parsedCniFiles, pluginsOf, type PluginConf } from "./lib/plugins.js";

type Report = (r: RuleReport) => void;

/** bridge (plugins/main/bridge/bridge.go loadNetConf): hairpin and promiscuous mode exclude each other; vlan 0..4094. */
function checkBridge(artifact: CniFileArtifact, obj: JsonObject, base: PathSegment[], what: string, report: Report): void {
  const name = artifact.result.file;
  const hairpin = field(obj, "hairpinMode");
  const promisc = field(obj, "promiscMode");
  if (hairpin && promisc && isTrue(hairpin.value) && isTrue(promisc.value)) {
    report({
      loc: nodeLoc(artifact, promisc.value),
      field: formatPath([...base, promisc.key]),
      message: `${name}: ${what} sets both hairpinMode and promiscMode: the bridge plugin refuses this ("cannot set hairpin mode and promiscuous mode at the same time") and every pod setup fails; keep hairpinMode (needed for a pod to reach itself through its Service) and drop promiscMode`,
      related: [{ loc: nodeLoc(artifact, hairpin.value), message: "hairpinMode: true" }],
    });
  }
  const vlan = field(obj, "vlan");
  if (vlan && vlan.value.type === "number" && Number.isInteger(vlan.value.value) && (vlan.value.value < 0 || vlan.value.value > 4094)) {
    report({
      loc: nodeLoc(artifact, vlan.value),
      field: formatPath([...base, vlan.key]),
      message: `${name}: ${what} sets vlan ${vlan.value.raw}: the bridge plugin accepts 0..4094 ("invalid VLAN ID ${vlan.value.raw} (must be between 0 and 4094)") and every pod setup fails`,
    });
  }
}

function uint(n: JsonNode | undefined): number {
  return n?.type === "number" && n.value > 0 ? n.value : 0;
}

/** bandwidth (plugins/meta/bandwidth/main.go validateRateAndBurst), on the entry the plugin uses. */
function checkBandwidth(artifact: CniFileArtifact, p: PluginConf, report: Report): void {
  const name = artifact.result.file;
  const typeProp = field(p.node, "type")!;
  if (p.index === 0) {
    report({
      loc: nodeLoc(artifact, typeProp.value),
      field: formatPath([...p.path, typeProp.key]),
      message: p.single
        ? `${name}: bandwidth is a single plugin config, but bandwidth only shapes the interface a previous plugin created ("must be called as chained plugin"): chain it after the interface plugin in a .conflist`
        : `${name}: bandwidth is the first plugin of the chain, but it only shapes the interface a previous plugin created ("must be called as chained plugin"): put it after the interface plugin (bridge, ptp, calico ...)`,
    });
  }
  const rateFields = ["ingressRate", "ingressBurst", "egressRate", "egressBurst", "unshapedSubnets", "shapedSubnets"];
  const topLevel = rateFields.some((f) => field(p.node, f));
  let entry: JsonObject | undefined = topLevel ? p.node : undefined;
  let base: PathSegment[] = p.path;
  if (!entry) {
    const rc = field(p.node, "runtimeConfig");
    const bw = asObject(rc?.value) ? field(asObject(rc!.value)!, "bandwidth") : undefined;
    entry = asObject(bw?.value);
    if (rc && bw) base = [...p.path, rc.key, bw.key];
  }
  if (!entry) return;
  for (const dir of ["ingress", "egress"]) {
    const rateP = field(entry, `${dir}Rate`);
    const burstP = field(entry, `${dir}Burst`);
    const rate = uint(rateP?.value);
    const burst = uint(burstP?.value);
    let problem: string | null = null;
    let at = rateP ?? burstP;
    if (rate !== 0 && burst === 0) problem = `${dir}Rate ${rate} without ${dir}Burst ("if rate is set, burst must also be set")`;
    else if (rate === 0 && burst !== 0) problem = `${dir}Burst ${burst} without ${dir}Rate ("if burst is set, rate must also be set")`;
    else if (Math.floor(burst / 8) >= 0xffffffff) {
      problem = `${dir}Burst ${burst} bits is more than 4 GB ("burst cannot be more than 4GB")`;
      at = burstP;
    }
    if (!problem || !at) continue;
    report({
      loc: nodeLoc(artifact, at.value),
      field: formatPath([...base, at.key]),
      message: `${name}: bandwidth ${problem}: the plugin rejects its config and every pod setup fails; set both, in bits per second and bits`,
    });
  }
}

/** flannel's delegate (flannel-io/cni-plugin flannel.go cmdAdd): flannel sets name and ipam itself. */
function checkFlannel(artifact: CniFileArtifact, p: PluginConf, report: Report): void {
  const name = artifact.result.file;
  const delegateProp = field(p.node, "delegate");
  const delegate = asObject(delegateProp?.value);
  if (!delegate || !delegateProp) return;
  const base = [...p.path, delegateProp.key];
  for (const key of ["name", "ipam"]) {
    const k = mapKey(delegate, key);
    if (!k) continue;
    report({
      loc: keyLoc(artifact, k),
      field: formatPath([...base, key]),
      message: `${name}: flannel's delegate has '${key}': flannel refuses it ("'delegate' dictionary must not have '${key}' field, it'll be set by flannel") and every pod setup fails; ${key === "ipam" ? "flannel gives the delegate host-local with the node's subnet from /run/flannel/subnet.env" : "the delegate takes the network's name"}: remove it`,
    });
  }
  const type = mapKey(delegate, "type");
  const delegateType = type ? asString(type.value) : "bridge";
  if (delegateType === "bridge") checkBridge(artifact, delegate, base, "flannel's bridge delegate", report);
}

/** portmap without the portMappings capability: the runtime never passes the pods' hostPorts. */
function checkPortmap(artifact: CniFileArtifact, p: PluginConf, report: Report): void {
  const caps = asObject(field(p.node, "capabilities")?.value);
  const pm = caps?.properties.filter((q) => q.key === "portMappings").pop();
  if (pm && isTrue(pm.value)) return;
  const typeProp = field(p.node, "type")!;
  report({
    loc: pm ? nodeLoc(artifact, pm.value) : nodeLoc(artifact, typeProp.value),
    field: formatPath([...p.path, ...(pm ? ["capabilities", "portMappings"] : [typeProp.key])]),
    severity: "warning",
    message: `${artifact.result.file}: portmap ${pm ? "has capabilities.portMappings other than true" : "has no capabilities.portMappings"}: the runtime passes pods' hostPort mappings only to plugins that declare that capability, so every hostPort silently does nothing; add "capabilities": {"portMappings": true}`,
  });
}

export default defineRule({
  meta: { id: "cni/plugin-options", severity: "error", summary: "Plugin options that the bridge, bandwidth, flannel or portmap plugin rejects or ignores" },
  check({ cluster, report }) {
    for (const { artifact } of parsedCniFiles(cluster)) {
      for (const p of pluginsOf(artifact)) {
        if (p.type === "bridge") checkBridge(artifact, p.node, p.path, "bridge", report);
        else if (p.type === "bandwidth") checkBandwidth(artifact, p, report);
        else if (p.type === "flannel") checkFlannel(artifact, p, report);
        else if (p.type === "portmap") checkPortmap(artifact, p, report);
      }
    }
  },
});
