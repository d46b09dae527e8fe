import { defineRule } from "../../engine/rule.js";
import type { CorefileArtifact } from "../../model/types.js";
import type { CorefileDirective, CorefileServerBlock } from "../../parsers/corefile/index.js";
import type { Fix, TextEdit } from "../../types.js";
import { blockOpen, blockOptions, directiveArgs } from "../lib/corefile.js";
import { editableLine, eol, isClose, tokLoc, upstreamKind } from "./lib/corefile.js";
import { atLeast, describeTarget, isStub, pluginExists, REMOVED_PLUGINS, targetVersion, type Version } from "./lib/versions.js";

/** How corefile-migration turns a proxy option into a forward option; null: it cannot be translated. */
function translateProxyOption(name: string, args: string[]): { drop: true } | { text: string } | null {
  switch (name) {
    case "except":
      return args.length ? { text: `except ${args.join(" ")}` } : null;
    case "fail_timeout":
    case "max_fails":
    case "health_check":
    case "spray":
      // forward does its own health checking; corefile-migration drops these.
      return { drop: true };
    case "policy":
      if (args.length !== 1) return null;
      if (args[0] === "random" || args[0] === "round_robin") return { text: `policy ${args[0]}` };
      if (args[0] === "first") return { text: "policy sequential" };
      return null;
    case "protocol":
      if (args.length === 1 && args[0] === "dns") return { drop: true };
      if (args.length === 2 && args[0] === "dns" && args[1] === "force_tcp") return { text: "force_tcp" };
      return null;
    default:
      return null;
  }
}

/** Text edits that turn `proxy` into `forward` as corefile-migration does, or null when an option has no forward equivalent. */
function proxyToForward(cf: CorefileArtifact, block: CorefileServerBlock, d: CorefileDirective, v: Version): Fix | null {
  const name = d.tokens[0]!;
  const nameLine = editableLine(cf, name);
  if (!nameLine) return null;
  const tos = directiveArgs(d).slice(1);
  if (tos.length === 0 || tos.length > 15) return null;
  for (const to of tos) {
    const { scheme, kind } = upstreamKind(to.text);
    if ((scheme !== "dns" && scheme !== "tls") || kind === "invalid" || (kind === "hostname" && !atLeast(v, "1.14.4"))) return null;
  }
  // Before 1.9.4 forward may appear once per block: a second forwarder would not start.
  const forwarders = block.directives.filter((x) => x.name === "forward" || x.name === "proxy");
  if (forwarders.length > 1 && !atLeast(v, "1.9.4")) return null;
  const nameLoc = tokLoc(cf, name);
  const edits: TextEdit[] = [{ start: nameLoc.start, end: nameLoc.end, text: "forward" }];
  const open = blockOpen(d);
  if (open) {
    const close = d.tokens[d.tokens.length - 1]!;
    if (!isClose(close) || open.line === close.line && blockOptions(d).length > 0) return null;
    for (const opt of blockOptions(d)) {
      const t = translateProxyOption(opt.name.text, opt.args.map((a) => a.text));
      if (!t) return null;
      const last = opt.args[opt.args.length - 1] ?? opt.name;
      const line = editableLine(cf, opt.name);
      // Each option must be alone on its line so that the line can go.
      if (!line || opt.name.line === open.line || last.line === close.line || opt.args.some((a) => a.quoted)) return null;
      const first = tokLoc(cf, opt.name);
      const end = tokLoc(cf, last).end;
      if (cf.file.text.slice(line.lineStart, first.start).trim() !== "" || cf.file.text.slice(end, line.lineEnd).trim() !== "") return null;
      if ("drop" in t) {
        const nl = eol(cf);
        const after = cf.file.text.startsWith(nl, line.lineEnd) ? line.lineEnd + nl.length : line.lineEnd;
        edits.push({ start: line.lineStart, end: after, text: "" });
      } else edits.push({ start: first.start, end, text: t.text });
    }
  }
  return { description: "replace proxy with forward (options translated as corefile-migration does)", file: cf.file.path, edits };
}

export default defineRule({
  meta: { id: "coredns/removed-plugin", severity: "error", summary: "A plugin that the target CoreDNS version no longer has (proxy, federation, reverse ...)", fixable: true },
  check({ cluster, report }) {
    for (const cf of cluster.corefiles) {
      const target = targetVersion(cf, cluster);
      const v = target.version;
      for (const block of cf.parse.serverBlocks) {
        for (const d of block.directives) {
          const removed = REMOVED_PLUGINS[d.name];
          if (!removed) continue;
          const loc = tokLoc(cf, d.tokens[0]!);
          const fix = d.name === "proxy" ? proxyToForward(cf, block, d, v) : null;
          if (!pluginExists(d.name, v)) {
            report({
              loc,
              message: `the ${d.name} plugin was removed in CoreDNS ${removed.removed} (${removed.note}); the target is ${describeTarget(target)}, which stops with "Unknown directive '${d.name}'". Use ${removed.replacement}`,
              fix,
            });
          } else if (isStub(d.name, v)) {
            report({ loc, message: `the ${d.name} plugin is deprecated in ${describeTarget(target)} and its setup fails ("this plugin has been deprecated"), so CoreDNS does not start; it is removed in ${removed.removed}. Use ${removed.replacement}` });
          } else if (removed.deprecated && atLeast(v, removed.deprecated)) {
            report({
              loc,
              severity: "warning",
              message: `the ${d.name} plugin is deprecated since CoreDNS ${removed.deprecated} and removed in ${removed.removed} (target ${describeTarget(target)}): an upgrade will stop CoreDNS with "Unknown directive '${d.name}'". Use ${removed.replacement}`,
              fix,
            });
          }
        }
      }
    }
  },
});
