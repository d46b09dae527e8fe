import { defineRule } from "../../engine/rule.js";
import type { CorefileArtifact } from "../../model/types.js";
import type { CorefileDirective } from "../../parsers/corefile/index.js";
import type { Fix } from "../../types.js";
import { blockOpen, blockOptions, directiveArgs } from "../lib/corefile.js";

/** Insert `pods insecure` into the kubernetes block (or give it a block), keeping the file's indentation. */
function podsInsecureFix(cf: CorefileArtifact, d: CorefileDirective): Fix | null {
  const name = d.tokens[0]!;
  if (name.file || cf.file.format === "json") return null;
  const nameLoc = cf.locate({ offset: name.offset, endOffset: name.endOffset });
  const text = cf.file.text;
  const lineStart = text.lastIndexOf("\n", nameLoc.start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const step = indent.includes("\t") && !indent.includes(" ") ? "\t" : "  ";
  const open = blockOpen(d);
  if (open) {
    const at = cf.locate({ offset: open.offset, endOffset: open.endOffset }).end;
    // Indent like the block's first option (`fallthrough` three columns in, as kubeadm writes it), else one step in.
    const next = /^[^\n]*\n([ \t]*)([^\s}])/.exec(text.slice(at));
    const inner = next && next[1]!.length > indent.length && next[1]!.startsWith(indent) ? next[1]! : `${indent}${step}`;
    return { description: "add `pods insecure` to the kubernetes block", file: cf.file.path, edits: [{ start: at, end: at, text: `\n${inner}pods insecure` }] };
  }
  const args = directiveArgs(d);
  const last = args.length ? args[args.length - 1]! : name;
  const at = cf.locate({ offset: last.offset, endOffset: last.endOffset }).end;
  return { description: "give the kubernetes plugin a block with `pods insecure`", file: cf.file.path, edits: [{ start: at, end: at, text: ` {\n${indent}${step}pods insecure\n${indent}}` }] };
}

export default defineRule({
  meta: { id: "coredns/pods-insecure-missing", severity: "warning", summary: "The kubernetes plugin has no `pods insecure`/`pods verified`: pod A records get NXDOMAIN", fixable: true },
  check({ cluster, report }) {
    for (const cf of cluster.corefiles) {
      for (const block of cf.parse.serverBlocks) {
        const autopath = block.directives.find((d) => d.name === "autopath");
        for (const d of block.directives) {
          if (d.name !== "kubernetes") continue;
          const pods = blockOptions(d).filter((o) => o.name.text === "pods").pop();
          const mode = pods?.args[0]?.text;
          const t = d.tokens[0]!;
          const loc = cf.locate({ offset: t.offset, endOffset: t.endOffset, ...(t.file ? { file: t.file } : {}) });
          if (autopath && mode !== "verified") {
            const at = autopath.tokens[0]!;
            report({
              loc,
              severity: "error",
              message: `autopath needs \`pods verified\` in the kubernetes block (it has ${mode ? `\`pods ${mode}\`` : "no `pods` option"}): CoreDNS's autopath cannot find the client pod's namespace and search path expansion fails`,
              related: [{ loc: cf.locate({ offset: at.offset, endOffset: at.endOffset, ...(at.file ? { file: at.file } : {}) }), message: "autopath is enabled here" }],
            });
            continue;
          }
          // Any `pods` value is a choice; a value CoreDNS rejects is coredns/invalid-plugin-option's finding.
          if (pods) continue;
          report({
            loc,
            message: `the kubernetes plugin (zones ${directiveArgs(d).map((a) => a.text).join(" ") || "of the server block"}) has no \`pods insecure\`: pod A records such as 1-2-3-4.default.pod.cluster.local get NXDOMAIN and kube-dns compatibility is lost`,
            fix: autopath ? null : podsInsecureFix(cf, d),
          });
        }
      }
    }
  },
});
