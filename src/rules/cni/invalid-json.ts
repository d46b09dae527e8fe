import { defineRule } from "../../engine/rule.js";
import type { Loc } from "../../model/types.js";
import { cniErrorText } from "../lib/cni.js";

export default defineRule({
  meta: { id: "cni/invalid-json", severity: "error", summary: "A CNI config that is not one JSON object (BOM, comments, trailing comma, empty)" },
  check({ cluster, report }) {
    for (const p of cluster.parseProblems) {
      if (p.ruleId !== "cni/invalid-json") continue;
      report({ loc: p.loc, message: `not valid JSON for the container runtime (Go encoding/json): ${p.message}` });
    }
    for (const dir of cluster.cniConfDirs) {
      for (const r of dir.load.perFile) {
        if (r.error?.kind !== "invalid-json") continue;
        const artifact = dir.files.get(r.file);
        if (!artifact) continue;
        const start = r.error.offset ?? 0;
        const loc: Loc = { file: artifact.file, start, end: r.error.endOffset ?? Math.min(artifact.file.text.length, start + 1) };
        report({ loc, message: `${r.file} is not valid JSON for ${dir.runtime} (Go encoding/json): ${cniErrorText(r)}` });
      }
    }
  },
});
