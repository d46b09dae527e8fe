import { defineRule } from "../../engine/rule.js";

export default defineRule({
  meta: { id: "yaml/syntax", severity: "error", summary: "A YAML document (or Kubernetes JSON manifest) that does not parse" },
  check({ cluster, report }) {
    for (const p of cluster.parseProblems) {
      if (p.ruleId !== "yaml/syntax") continue;
      report({ loc: p.loc, message: `does not parse: ${p.message}; kubectl and the API server reject this document (the file's other documents are still checked)` });
    }
  },
});
