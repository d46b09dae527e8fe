import { defineRule } from "../../engine/rule.js";
import { blockOptions } from "../lib/corefile.js";
import { spanLoc, tokLoc } from "./lib/corefile.js";
import { announcedDeprecation, describeTarget, isStub, optionFacts, optionRemovedAfter, optionSwitch, pluginExists, targetVersion, unknownOptionError } from "./lib/versions.js";

/** What to do instead, where the CoreDNS notes say (notes/coredns-1.7.0.md, 1.8.0.md); else delete the line. */
const ADVICE: Readonly<Record<string, string>> = {
  "kubernetes upstream": "Delete the line: CoreDNS resolves external CNAME targets through its own upstream since 1.5.0",
  "kubernetes transfer": "Use the transfer plugin (`transfer { to ... }` in the same server block)",
  "kubernetes endpoint": "Keep one endpoint URL: only the first one is used",
};
const advice = (plugin: string, option: string) => ADVICE[`${plugin} ${option}`] ?? "Delete the line";

export default defineRule({
  meta: { id: "coredns/removed-option", severity: "error", summary: "A plugin option that the target CoreDNS version removed (kubernetes upstream, resyncperiod, transfer ...), or ignores in a way that stops CoreDNS; warning where only ignored or deprecated" },
  check({ cluster, report }) {
    for (const cf of cluster.corefiles) {
      const target = targetVersion(cf, cluster);
      const v = target.version;
      for (const block of cf.parse.serverBlocks) {
        for (const d of block.directives) {
          // A plugin the target does not have is reported as unknown-plugin or removed-plugin.
          if (!pluginExists(d.name, v) || isStub(d.name, v)) continue;
          const options = blockOptions(d);
          if (options.length === 0) continue;
          const kind = optionSwitch(d.name, v);
          for (const opt of options) {
            const name = opt.name.text;
            const facts = optionFacts(d.name, name, v);
            if (!facts) continue;
            const loc = tokLoc(cf, opt.name);
            if (!facts.accepted) {
              if (!facts.removedIn || !kind) continue;
              report({ loc, message: `${d.name} option '${name}' was removed in CoreDNS ${facts.removedIn}: ${describeTarget(target)} stops with "plugin/${d.name}: ${unknownOptionError(kind, name)}". ${advice(d.name, name)}` });
              continue;
            }
            const removal = optionRemovedAfter(d.name, name, v);
            const later = removal ? `, and is removed in ${removal}, where CoreDNS stops with "${unknownOptionError(kind ?? "unknown-property", name)}"` : "";
            if (facts.ignoredLeavesArgs && opt.args.length > 0) {
              // Setup skips the keyword without reading its arguments: the next NextBlock() reads the first argument as a keyword.
              const arg = opt.args[0]!;
              report({
                loc: spanLoc(cf, opt.name, opt.args[opt.args.length - 1]!),
                message: `${d.name} option '${name}' is ignored since CoreDNS ${facts.ignoredSince} without reading its arguments, so ${describeTarget(target)} reads '${arg.text}' as the next option: "plugin/${d.name}: ${unknownOptionError(kind ?? "unknown-property", arg.text)}", and CoreDNS does not start. ${advice(d.name, name)}`,
              });
            } else if (facts.ignored || facts.ignoredLeavesArgs) {
              report({ loc, severity: "warning", message: `${d.name} option '${name}' is ignored since CoreDNS ${facts.ignoredSince} (target ${describeTarget(target)}): it has no effect${later}. ${advice(d.name, name)}` });
            } else if (announcedDeprecation(d.name, name, v)) {
              const a = announcedDeprecation(d.name, name, v)!;
              report({ loc, severity: "warning", message: `${d.name} option '${name}' is deprecated since CoreDNS ${a.since} (${a.source}; target ${describeTarget(target)})${later}. ${advice(d.name, name)}` });
            } else if (facts.deprecated || (facts.deprecatedOverArgs !== undefined && opt.args.length > facts.deprecatedOverArgs)) {
              const shown = facts.deprecated ? name : `${name} with ${opt.args.length} arguments`;
              report({
                loc: facts.deprecated || opt.args.length === 0 ? loc : spanLoc(cf, opt.name, opt.args[opt.args.length - 1]!),
                severity: "warning",
                message: `${d.name} option '${shown}' is deprecated in ${describeTarget(target)} (its setup logs a deprecation warning)${later}. ${advice(d.name, name)}`,
              });
            }
          }
        }
      }
    }
  },
});
