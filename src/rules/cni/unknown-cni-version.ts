import { defineRule } from "../../engine/rule.js";
import { cniFileLoc } from "../lib/cni.js";
import { asObject, nodeLoc } from "./lib/json.js";
import { parsedCniFiles } from "./lib/plugins.js";

/** containernetworking/cni pkg/version `All`: the versions plugins can be asked to speak. */
const KNOWN = ["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

/** Plugins whose supported versions start at CNI 0.3.0: they reject version "". */
const START_030 = new Set(["portmap", "bandwidth"]);

function suggestion(v: string): string | undefined {
  const t = v.trim().replace(/^v/i, "");
  if (KNOWN.includes(t)) return t;
  if (KNOWN.includes(`${t}.0`)) return `${t}.0`;
  if (t === "0.3") return "0.3.1";
  return undefined;
}

export default defineRule({
  meta: { id: "cni/unknown-cni-version", severity: "error", summary: "A CNI config whose cniVersion is not a CNI version (or is missing, or older than 0.3.0)" },
  check({ cluster, report }) {
    for (const { artifact } of parsedCniFiles(cluster)) {
      const root = asObject(artifact.result.json);
      if (!root) continue;
      const version = artifact.result.cniVersion ?? "";
      const name = artifact.result.file;
      // The list's cniVersion is what every plugin of the list is given (libcni injects it); a .conf matches the key case-insensitively.
      const conflist = artifact.result.loader === "conflist";
      const prop = root.properties.filter((p) => (conflist ? p.key === "cniVersion" : p.key.toLowerCase() === "cniversion")).pop();
      const plugins = artifact.result.pluginTypes ?? [];
      if (version === "") {
        const versionsProp = root.properties.filter((p) => p.key === "cniVersions").pop();
        const listed = versionsProp?.value.type === "array" ? versionsProp.value.items.filter((i) => i.type === "string").map((i) => (i as { value: string }).value) : [];
        const alt = listed.length
          ? ` cniVersions ${JSON.stringify(listed)} is read only by libcni 1.2 and later (containerd 2.x, CRI-O 1.30+); older runtimes still send an empty version.`
          : "";
        const what = prop ? "cniVersion is empty" : "cniVersion is missing";
        const fix = `Set "cniVersion": "${listed.find((v) => KNOWN.includes(v)) ?? "1.0.0"}".${alt}`;
        // Fatal where it is known to be: CRI-O validates the network with libcni and skips it (ocicni ValidateNetworkList).
        const crio = artifact.confDir?.runtime === "cri-o";
        const rejects = `\`plugin ${plugins[0] ?? "flannel"} does not support config version ""\``;
        const late = plugins.filter((p) => START_030.has(p));
        report({
          loc: prop ? nodeLoc(artifact, prop.value) : cniFileLoc(artifact),
          ...(crio ? {} : { severity: "warning" as const }),
          message: crio
            ? `${name}: ${what}: CRI-O (${artifact.confDir!.runtimeSource}) validates the network with libcni and skips it (${rejects}): no pod gets this network, and with no other config the node stays NetworkNotReady. ${fix}`
            : `${name}: ${what}: the runtime passes version "" (CNI 0.1.0) to ${plugins.join(", ") || "its plugins"}; libcni's validation (CRI-O, the kubelet's checks) rejects such a network (${rejects}), and plugins that start at CNI 0.3.0 (${late.length ? late.join(", ") : "portmap, bandwidth"}) reject it in current releases. ${fix}`,
        });
        continue;
      }
      const loc = prop ? nodeLoc(artifact, prop.value) : cniFileLoc(artifact);
      if (!KNOWN.includes(version)) {
        const s = suggestion(version);
        report({
          loc,
          message: `${name}: cniVersion ${JSON.stringify(version)} is not a CNI version (known: ${KNOWN.join(", ")})${s ? `; did you mean "${s}"?` : ""}: plugins compare the exact string and fail every pod setup with "incompatible CNI versions; config is ${JSON.stringify(version)}"`,
        });
        continue;
      }
      if (version === "0.1.0" || version === "0.2.0") {
        report({
          loc,
          severity: "info",
          message: `${name}: cniVersion ${version} predates CNI 0.3.0: results carry one address per family and no interface list (host-local refuses more than one range set per family), and plugins such as bandwidth start at 0.3.0; use "1.0.0" or "0.4.0"`,
        });
      }
    }
  },
});
