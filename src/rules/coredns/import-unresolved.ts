import path from "node:path";
import { defineRule } from "../../engine/rule.js";
import type { CorefileArtifact, K8sObject, Loc } from "../../model/types.js";
import type { CorefileImport } from "../../parsers/corefile/index.js";
import { where } from "../lib/locations.js";
import { asRecord, corednsWorkloads, sameNamespace, under } from "./lib/workload.js";
import { mountFor, volumeMounts } from "../../model/workloads.js";

/**
 * k3s and AKS import `/etc/coredns/custom/*.override` (inside `.:53`) and `*.server` (top level)
 * from the optional `coredns-custom` ConfigMap: with no such ConfigMap, or none of its keys for one
 * of the two hooks, the glob matching nothing is the designed, empty case.
 */
const CUSTOM_HOOK = /^\*\.(override|server)$/;

/** The `import` statement on its line, as exactly as the model lets us: from `import` to the end of its argument. */
function importLoc(cf: CorefileArtifact, imp: CorefileImport): Loc {
  const line = cf.locate({ line: imp.line, ...(imp.file ? { file: imp.file } : {}) });
  const text = line.file.text.slice(line.start, line.end);
  const m = /(^|\s)(import\s+("[^"]*"|\S+))/.exec(text);
  if (!m) return line;
  const start = line.start + m.index + m[1]!.length;
  return { file: line.file, start, end: start + m[2]!.length };
}

export default defineRule({
  meta: { id: "coredns/import-unresolved", severity: "warning", summary: "An `import` that no mounted ConfigMap key provides" },
  check({ cluster, report }) {
    const configMapsComplete = cluster.isSnapshot && cluster.objects.some((o) => o.kind === "ConfigMap");
    for (const w of corednsWorkloads(cluster)) {
      const cf = w.corefile;
      // Only where the model knows the mounts: a Corefile alone, or a ConfigMap no Deployment mounts, may get its files from anywhere.
      if (!cf) continue;
      const reportedDirs = new Set<string>();
      for (const imp of cf.parse.imports) {
        if (imp.snippet || !imp.resolved) continue;
        const missingLiteral = imp.missing === true;
        const emptyGlob = imp.glob && imp.matched.length === 0;
        if (!missingLiteral && !emptyGlob) continue;
        const target = imp.resolved;
        const dir = emptyGlob ? path.posix.dirname(target) : target;
        const mount = mountFor(volumeMounts(w.container), dir);
        const cmRef = asRecord(mount?.volume?.configMap);
        // hostPath, emptyDir, projected, secret volumes: their files are not in the input.
        if (mount && !cmRef) continue;
        const cmName = typeof cmRef?.name === "string" ? cmRef.name : null;
        const cm: K8sObject | undefined = cmName ? cluster.objects.find((o) => o.kind === "ConfigMap" && o.name === cmName && sameNamespace(o, w.object)) : undefined;
        const provided = [...cf.mountedFiles.entries()].filter(([p]) => under(p, emptyGlob ? dir : path.posix.dirname(target))).map(([p, ref]) => ({ file: p, ...ref }));
        const loc = importLoc(cf, imp);
        if (emptyGlob) {
          const hook = CUSTOM_HOOK.test(path.posix.basename(target)) && (cmName === "coredns-custom" || dir === "/etc/coredns/custom");
          if (hook) {
            // The designed empty case: coredns-custom absent or empty, or its keys serve the other hook.
            if (!cm || provided.length === 0 || reportedDirs.has(dir)) continue;
            const globs = cf.parse.imports.filter((i) => i.glob && i.resolved && path.posix.dirname(i.resolved) === dir);
            if (globs.some((g) => g.matched.length > 0)) continue;
            reportedDirs.add(dir);
            report({
              loc,
              message: `import ${imp.path} matches nothing: no key of ConfigMap ${cm.name} (${where(cm.locate(["data"], "key"))}) ends in ${globs.map((g) => path.posix.basename(g.resolved!).slice(1)).join(" or ")} (its keys: ${provided.map((p) => p.key).join(", ")}), so CoreDNS silently ignores them. Rename the keys to NAME.override (inside the .:53 block) or NAME.server (a server block of its own)`,
              related: [{ loc: cm.locate(["data"], "key"), message: `data of ConfigMap ${cm.name}` }],
            });
            continue;
          }
          if (cmName && !cm) continue;
          const what = cm
            ? `ConfigMap ${cm.name}, mounted at ${mount!.mountPath}, provides ${provided.map((p) => path.posix.basename(p.file)).join(", ") || "no file"} there`
            : `no volume is mounted at ${dir}`;
          report({
            loc,
            message: `import ${imp.path} matches no file: ${what}, so CoreDNS silently imports nothing (it only logs "No files matching import glob pattern")`,
            related: cm ? [{ loc: cm.locate(["data"], "key"), message: `data of ConfigMap ${cm.name}` }] : [],
          });
          continue;
        }
        if (cmName && !cm && !configMapsComplete) continue;
        const key = path.posix.relative(mount?.mountPath ?? "/", target);
        const hasKey = !!cm && Object.keys(asRecord(cm.value.data) ?? {}).includes(key);
        const what = cm && hasKey
          ? `ConfigMap ${cm.name} has the key ${key}, but the items of volume ${mount!.volumeName} do not map it (they provide only ${provided.map((p) => path.posix.basename(p.file)).join(", ") || "no file"} at ${mount!.mountPath})`
          : cm
          ? `ConfigMap ${cm.name}, mounted at ${mount!.mountPath}, has no key ${key} (it provides ${provided.map((p) => path.posix.basename(p.file)).join(", ") || "no file"} there)`
          : cmName
            ? `ConfigMap ${cmName}, mounted at ${mount!.mountPath}, is not in this snapshot`
            : `no volume of ${w.object.kind} ${w.object.name} is mounted at ${path.posix.dirname(target)}`;
        report({
          loc,
          // A literal import of a missing file is a parse error: CoreDNS does not start.
          severity: "error",
          message: `import ${imp.path}: ${what}, so CoreDNS does not start ("File to import not found: ${imp.path}")`,
          related: cm ? [{ loc: cm.locate(["data"], "key"), message: `data of ConfigMap ${cm.name}` }] : [],
        });
      }
    }
  },
});
