/** The CNI config files rules look at, and the plugin objects inside them. */
import type { ClusterModel, CniConfDirArtifact, CniFileArtifact } from "../../../model/types.js";
import type { PathSegment } from "../../../parsers/yaml.js";
import { asObject, asString, field, type JsonObject } from "./json.js";

export interface CniFileRef {
  artifact: CniFileArtifact;
  /** The conf dir that holds it, or null for a loose CNI file. */
  dir: CniConfDirArtifact | null;
}

/** Every CNI config that the runtime's parser accepts: conf-dir candidates and loose files (file-level checks). */
export function parsedCniFiles(cluster: ClusterModel): CniFileRef[] {
  const out: CniFileRef[] = [];
  for (const dir of cluster.cniConfDirs) {
    for (const a of dir.files.values()) if (a && a.result.ok && a.result.json) out.push({ artifact: a, dir });
  }
  for (const a of cluster.looseCniFiles) if (a.result.ok && a.result.json) out.push({ artifact: a, dir: null });
  return out;
}

export interface PluginConf {
  node: JsonObject;
  /** Path of the plugin object in the file ([] for a single .conf, ["plugins", i] in a list). */
  path: PathSegment[];
  /** Position in the chain (0 for a single .conf). */
  index: number;
  type: string;
  /** True when the file is a single plugin config that the runtime wraps into a one-plugin list. */
  single: boolean;
}

/** The plugin objects of a parsed CNI file, in chain order. */
export function pluginsOf(artifact: CniFileArtifact): PluginConf[] {
  const root = asObject(artifact.result.json);
  if (!root) return [];
  if (artifact.result.loader === "conf") {
    return [{ node: root, path: [], index: 0, type: asString(field(root, "type")?.value) ?? "", single: true }];
  }
  let plugins: JsonObject[] = [];
  let list: PathSegment[] = [];
  for (const p of root.properties) {
    if (p.key === "plugins" && p.value.type === "array") {
      plugins = p.value.items.filter((i): i is JsonObject => i.type === "object");
      list = ["plugins"];
    }
  }
  return plugins.map((node, index) => ({ node, path: [...list, index], index, type: asString(field(node, "type")?.value) ?? "", single: false }));
}
