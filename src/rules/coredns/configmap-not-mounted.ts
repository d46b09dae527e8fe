import path from "node:path";
import { defineRule } from "../../engine/rule.js";
import type { K8sObject } from "../../model/types.js";
import { closest } from "../lib/closest.js";
import { where } from "../lib/locations.js";
import { asRecord, commandLine, corednsWorkloads, sameNamespace } from "./lib/workload.js";
import { configMapItems, mountFor, volumeMounts } from "../../model/workloads.js";
import { runsHealthy } from "../lib/symptoms.js";
import { nearest } from "../../model/nearest.js";

/** The `-conf` value and where it is written (`-conf PATH`, `-conf=PATH`, also with `--`). */
function confArg(words: { word: string; path: (string | number)[] }[]): { value: string; path: (string | number)[] } | null {
  for (let i = 0; i < words.length; i++) {
    const m = /^--?conf(?:=(.*))?$/.exec(words[i]!.word);
    if (!m) continue;
    if (m[1] !== undefined) return { value: m[1], path: words[i]!.path };
    const next = words[i + 1];
    return next ? { value: next.word, path: next.path } : null;
  }
  return null;
}

const dataKeys = (cm: K8sObject) => [...Object.keys(asRecord(cm.value.data) ?? {}), ...Object.keys(asRecord(cm.value.binaryData) ?? {})];

export default defineRule({
  meta: { id: "coredns/configmap-not-mounted", severity: "error", summary: "The Corefile CoreDNS is told to load (-conf) is not provided by a mounted ConfigMap" },
  check({ cluster, report }) {
    // A snapshot that holds no ConfigMap at all did not collect them (a support bundle without configmaps/): absence says nothing.
    const configMapsComplete = cluster.isSnapshot && cluster.objects.some((o) => o.kind === "ConfigMap");
    for (const w of corednsWorkloads(cluster)) {
      // Running and Ready pods of the workload are evidence that the Corefile is there, whatever a snapshot with only some ConfigMaps suggests.
      if (runsHealthy(cluster, w.object)) continue;
      const conf = confArg(commandLine(w.container));
      // Without -conf CoreDNS looks for ./Corefile and falls back to its built-in whoami server: not this rule's case.
      if (!conf || conf.value === "") continue;
      const confAbs = conf.value.startsWith("/") ? path.posix.normalize(conf.value) : path.posix.join("/", conf.value);
      const confLoc = w.object.locate(conf.path);
      const noFile = `CoreDNS exits with "open ${confAbs}: no such file or directory" (CrashLoopBackOff)`;
      const mount = mountFor(volumeMounts(w.container), confAbs);
      if (!mount) {
        report({ loc: confLoc, message: `-conf ${conf.value}: no volume of ${w.object.kind} ${w.object.name} is mounted at ${path.posix.dirname(confAbs)}, so ${noFile}. Mount the Corefile's ConfigMap there` });
        continue;
      }
      const cmRef = asRecord(mount.volume?.configMap);
      // hostPath, projected, secret and other volumes: their content is not in the input.
      if (!cmRef || typeof cmRef.name !== "string") continue;
      const volPath = [...w.specPath, "volumes", mount.volumeIndex, "configMap"];
      const optional = cmRef.optional === true;
      const cm = nearest(w.object, cluster.objects.filter((o) => o.kind === "ConfigMap" && o.name === cmRef.name && sameNamespace(o, w.object)));
      if (!cm) {
        const others = cluster.objects.filter((o) => o.kind === "ConfigMap" && sameNamespace(o, w.object) && typeof asRecord(o.value.data)?.Corefile === "string");
        if (!configMapsComplete && others.length === 0) continue;
        const ns = w.object.namespace || "its namespace";
        const other = others[0];
        const hint = other ? `. ConfigMap ${other.name} (${where(other.locate(["data", "Corefile"], "key"))}) holds a Corefile: mount that one, or rename it` : "";
        report({
          loc: w.object.locate([...volPath, "name"]),
          message: `${w.object.kind} ${w.object.name} mounts ConfigMap ${cmRef.name} at ${mount.mountPath}, but there is no ConfigMap ${cmRef.name} in ${ns}${configMapsComplete ? " in this snapshot" : ""}: ${optional ? `the optional volume stays empty and ${noFile}` : `the pods stay in ContainerCreating (configmap "${cmRef.name}" not found)`}${hint}`,
          related: other ? [{ loc: other.locate(["data", "Corefile"], "key"), message: `ConfigMap ${other.name} has a Corefile key` }] : [],
        });
        continue;
      }
      const keys = dataKeys(cm);
      const cmLoc = cm.locate(["data"], "key");
      const rel = mount.subPath ?? path.posix.relative(mount.mountPath, confAbs);
      const items = configMapItems(cmRef);
      if (items) {
        const item = items.find((it) => it.path === rel);
        if (!item) {
          report({
            loc: w.object.locate([...volPath, "items"], "key"),
            message: `-conf ${conf.value} needs the file ${rel} in volume ${mount.volumeName}, but its items map only ${items.map((it) => `${it.key} -> ${it.path}`).join(", ") || "nothing"} (ConfigMap ${cmRef.name}, keys: ${keys.join(", ") || "none"}): ${noFile}. Add the item {key: ${keys.includes(rel) ? rel : "Corefile"}, path: ${rel}}`,
            related: [{ loc: confLoc, message: `-conf ${conf.value}` }],
          });
          continue;
        }
        if (!keys.includes(item.key)) {
          const near = closest(item.key, keys);
          report({
            loc: w.object.locate([...volPath, "items", item.index, "key"]),
            message: `volume ${mount.volumeName} maps key ${item.key} of ConfigMap ${cmRef.name} to ${item.path}, but that ConfigMap (${where(cmLoc)}) has no key ${item.key} (keys: ${keys.join(", ") || "none"}${near ? `; did you mean ${near}?` : ""}): ${optional ? noFile : "the kubelet cannot build the volume and the pods stay in ContainerCreating (configmap references non-existent config key)"}`,
            related: [{ loc: cmLoc, message: `data of ConfigMap ${cmRef.name}` }],
          });
        }
        continue;
      }
      if (keys.includes(rel)) continue;
      const near = closest(rel, keys);
      report({
        loc: mount.subPath ? w.object.locate([...mount.mountInObject, "subPath"]) : confLoc,
        message: `-conf ${conf.value}: ConfigMap ${cmRef.name} (${where(cmLoc)}), mounted at ${mount.mountPath}, has no key ${rel} (keys: ${keys.join(", ") || "none"}${near ? `; did you mean ${near}?` : ""}), so ${noFile}`,
        related: [{ loc: cmLoc, message: `data of ConfigMap ${cmRef.name}` }],
      });
    }
  },
});
