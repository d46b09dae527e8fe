import { defineRule } from "../../engine/rule.js";

export default defineRule({
  meta: { id: "yaml/syntax", severity: "error", summary: "A YAML document (or Kubernetes JSON manifest) that does not parse" },
  check({ cluster, report }) {
    for (const p of cluster.parseProblems) {
      if (p.ruleId !== "yaml/syntax") continue;
      if (p.limit) {
        report({ loc: p.loc, message: `not checked: ${p.message}; the file's other documents are still checked (split the document, or list the file under ignore)` });
      } else if (p.embeddedIn) {
        // Helm values held in a string (HelmChartConfig valuesContent, an Argo CD Application's helm.values) fail the chart's install instead.
        const consequence = p.embeddedIn.startsWith("ConfigMap ") ? "the ConfigMap applies, but the component that reads this key fails at start" : "the object applies, but what reads this field (the Helm controller rendering the chart, a kind node's kubeadm) fails on it";
        report({ loc: p.loc, message: `the document in ${p.embeddedIn} does not parse: ${p.message}; ${consequence}` });
      } else {
        report({ loc: p.loc, message: `does not parse: ${p.message}; kubectl and the API server reject this document (the file's other documents are still checked)` });
      }
    }
  },
});
