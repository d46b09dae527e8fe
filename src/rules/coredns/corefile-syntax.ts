import { defineRule } from "../../engine/rule.js";
import { looksLikeServerKey } from "../lib/corefile.js";


export default defineRule({
  meta: { id: "coredns/corefile-syntax", severity: "error", summary: "What CoreDNS's Corefile parser rejects, at the parser's own position" },
  check({ cluster, report }) {
    for (const cf of cluster.corefiles) {
      const err = cf.parse.error;
      const where = cf.configMap ? ` (ConfigMap ${cf.configMap.name}, key ${cf.key})` : "";
      if (err && !/already defined/.test(err.message)) {
        const pos: { offset?: number; endOffset?: number; file?: string; line?: number } = { line: err.line };
        if (err.offset !== undefined) pos.offset = err.offset;
        if (err.endOffset !== undefined) pos.endOffset = err.endOffset;
        if (err.file && err.file !== cf.parse.file) pos.file = err.file;
        report({ loc: cf.locate(pos), message: `CoreDNS refuses this Corefile${where} and does not start: ${err.message}` });
      }
      for (const block of cf.parse.serverBlocks) {
        for (const d of block.directives) {
          if (!d.unknown || !looksLikeServerKey(d.name)) continue;
          const t = d.tokens[0]!;
          const loc = cf.locate({ offset: t.offset, endOffset: t.endOffset, ...(t.file ? { file: t.file } : {}) });
          report({ loc, message: `Unknown directive '${d.name}': a server block cannot be nested inside server block ${block.keys.join(" ")}${where}; CoreDNS does not start. Close the enclosing block first` });
        }
      }
    }
  },
});
