import { defineRule } from "../../engine/rule.js";
import type { CniConfDirArtifact } from "../../model/types.js";
import { cniErrorText, cniFileLoc } from "../lib/cni.js";

function nodeName(dir: CniConfDirArtifact): string {
  return dir.node ? `node ${dir.node}` : "the node";
}

export default defineRule({
  meta: { id: "cni/no-network", severity: "error", summary: "The runtime loads no pod network from the conf dir (the first config fails, or none is loadable)" },
  check({ cluster, report }) {
    for (const dir of cluster.cniConfDirs) {
      const { load } = dir;
      const okFiles = load.perFile.filter((f) => f.ok);
      if (load.candidates.length === 0) {
        const ignored = dir.ignored.filter((i) => i.looksLikeCni).map((i) => i.name);
        const hint = ignored.length ? ` (${ignored.join(", ")} ${ignored.length === 1 ? "looks" : "look"} like CNI config but ${ignored.length === 1 ? "is" : "are"} never read: only names ending in .conf, .conflist or .json are)` : "";
        report({ loc: { file: dir.dirFile, start: 0, end: 0 }, message: `${dir.dir} holds no CNI config the runtime can load${hint}: ${nodeName(dir)} reports "cni plugin not initialized", NetworkReady=false, and pods stay ContainerCreating` });
        continue;
      }
      if (dir.runtime === "containerd") {
        if (load.ready) continue;
        const failing = load.errorFile ? dir.files.get(load.errorFile) : undefined;
        const valid = okFiles.find((f) => f.file !== load.errorFile);
        const failed = load.perFile.find((f) => f.file === load.errorFile);
        const reason = failed?.error ? cniErrorText(failed) : load.errorMessage ?? "it does not load";
        const later = valid ? ` although ${valid.file} is valid: containerd never reads past the first failing file` : ": no candidate in the dir loads";
        const loc = failing ? { file: failing.file, start: 0, end: Math.min(failing.file.text.length, failing.file.lines.lineEnd(1)) } : { file: dir.dirFile, start: 0, end: 0 };
        const related = valid && dir.files.get(valid.file) ? [{ loc: cniFileLoc(dir.files.get(valid.file)!), message: `${valid.file}: a valid config that containerd never reaches` }] : [];
        report({
          loc,
          message: `${nodeName(dir)} has NO pod network: containerd (max_conf_num ${dir.maxConfNum}) loads ${load.errorFile ?? "the conf dir"} first and fails (${reason})${later}; NetworkReady=false, "cni plugin not initialized", pods stay ContainerCreating`,
          related,
        });
        continue;
      }
      // CRI-O skips files that fail and uses the first that loads.
      const chosen = load.chosen;
      for (const skipped of load.skipped ?? []) {
        const a = dir.files.get(skipped.file);
        const loc = a ? { file: a.file, start: 0, end: Math.min(a.file.text.length, a.file.lines.lineEnd(1)) } : { file: dir.dirFile, start: 0, end: 0 };
        const chosenBefore = chosen && Buffer.compare(Buffer.from(chosen.file), Buffer.from(skipped.file)) < 0;
        if (chosenBefore) continue;
        report({
          loc,
          severity: chosen ? "warning" : "error",
          message: chosen
            ? `CRI-O skips ${skipped.file} (${skipped.reason.startsWith(skipped.file + ": ") ? skipped.reason.slice(skipped.file.length + 2) : skipped.reason}) and uses ${chosen.file} instead: the network this file was meant to set up is not used`
            : `${nodeName(dir)} has NO pod network: CRI-O skips ${skipped.file} (${skipped.reason.startsWith(skipped.file + ": ") ? skipped.reason.slice(skipped.file.length + 2) : skipped.reason}) and no other config loads`,
        });
      }
    }
  },
});
