import { defineRule } from "../../engine/rule.js";
import type { CorefileArtifact } from "../../model/types.js";
import type { CorefileDirective } from "../../parsers/corefile/index.js";
import type { Fix } from "../../types.js";
import { editableLine, eol, tokLoc } from "./lib/corefile.js";
import { pluginExists, targetVersion } from "./lib/versions.js";

/** Insert `loop` on a line of its own after the last forwarder of the block, with that line's indentation. */
function addLoop(cf: CorefileArtifact, last: CorefileDirective): Fix | null {
  const name = editableLine(cf, last.tokens[0]!);
  const end = editableLine(cf, last.tokens[last.tokens.length - 1]!);
  if (!name || !end) return null;
  // The forwarder's last line must end with it (nothing else of the block after it on that line; a comment may follow).
  const lastLoc = tokLoc(cf, last.tokens[last.tokens.length - 1]!);
  if (cf.file.text.slice(lastLoc.end, end.lineEnd).replace(/(^|\s)#.*$/, "").trim() !== "") return null;
  return { description: "add the loop plugin to the server block", file: cf.file.path, edits: [{ start: end.lineEnd, end: end.lineEnd, text: `${eol(cf)}${name.indent}loop` }] };
}

export default defineRule({
  meta: { id: "coredns/loop-plugin-missing", severity: "warning", summary: "A server block that forwards has no loop plugin: a forwarding loop goes undetected", fixable: true },
  check({ cluster, report }) {
    for (const cf of cluster.corefiles) {
      const v = targetVersion(cf, cluster).version;
      if (!pluginExists("loop", v)) continue;
      for (const block of cf.parse.serverBlocks) {
        const forwarders = block.directives.filter((d) => (d.name === "forward" || d.name === "proxy") && pluginExists(d.name, v));
        if (forwarders.length === 0 || block.directives.some((d) => d.name === "loop")) continue;
        const first = forwarders[0]!;
        report({
          loc: tokLoc(cf, first.tokens[0]!),
          message: `server block ${block.keys.join(" ")} forwards (${first.name} ${first.tokens.slice(1, 3).map((t) => t.text).join(" ")}) but has no loop plugin: if the upstream sends queries back to CoreDNS, nothing stops the loop and CoreDNS burns CPU and memory until it is OOMKilled. Add \`loop\` to the block`,
          fix: addLoop(cf, forwarders[forwarders.length - 1]!),
        });
      }
    }
  },
});
