import { defineRule } from "../../engine/rule.js";
import type { CniFileArtifact, Loc } from "../../model/types.js";
import { cniErrorText } from "../lib/cni.js";

function errorLoc(a: CniFileArtifact): Loc {
  const e = a.result.error!;
  const start = e.offset ?? 0;
  return { file: a.file, start, end: e.endOffset ?? Math.min(a.file.text.length, start + 1) };
}

export default defineRule({
  meta: { id: "cni/invalid-config", severity: "error", summary: "A CNI config that the runtime rejects (missing type, name or plugins, wrong field types)" },
  check({ cluster, report }) {
    const check = (a: CniFileArtifact, who: string) => {
      const e = a.result.error;
      if (e?.kind !== "invalid-config") return;
      const r: Parameters<typeof report>[0] = { loc: errorLoc(a), message: `${who} rejects ${a.result.file}: ${cniErrorText(a.result)}` };
      if (e.field) r.field = e.field;
      report(r);
    };
    for (const dir of cluster.cniConfDirs) for (const a of dir.files.values()) if (a) check(a, dir.runtime === "cri-o" ? "CRI-O (libcni)" : "containerd (libcni)");
    for (const a of cluster.looseCniFiles) check(a, "libcni");
  },
});
