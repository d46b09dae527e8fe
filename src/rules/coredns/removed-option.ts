import { defineRule } from "../../engine/rule.js";
import { blockOptions } from "../lib/corefile.js";
import { spanLoc, tokLoc } from "./lib/corefile.js";
import { describeTarget, OPTION_CHANGES, optionStage, pluginExists, targetVersion } from "./lib/versions.js";

export default defineRule({
  meta: { id: "coredns/removed-option", severity: "error", summary: "A plugin option that the target CoreDNS version removed (kubernetes upstream, resyncperiod, transfer ...); warning where only deprecated" },
  check({ cluster, report }) {
    for (const cf of cluster.corefiles) {
      const target = targetVersion(cf, cluster);
      const v = target.version;
      for (const block of cf.parse.serverBlocks) {
        for (const d of block.directives) {
          // A plugin the target does not have is reported as unknown-plugin or removed-plugin.
          if (!pluginExists(d.name, v)) continue;
          for (const opt of blockOptions(d)) {
            for (const change of OPTION_CHANGES) {
              const [name, value] = change.option.split(" ");
              if (change.plugin !== d.name || opt.name.text !== name) continue;
              if (value !== undefined && opt.args[0]?.text !== value) continue;
              if (change.minArgs !== undefined && opt.args.length < change.minArgs) continue;
              const stage = optionStage(change, v);
              if (!stage) continue;
              const shown = value !== undefined ? change.option : opt.args.length && change.minArgs ? `${name} with ${opt.args.length} arguments` : name;
              const loc = value !== undefined ? spanLoc(cf, opt.name, opt.args[0]!) : tokLoc(cf, opt.name);
              if (stage.stage === "removed") {
                report({ loc, message: `${d.name} option '${shown}' was removed in CoreDNS ${stage.since}: ${describeTarget(target)} stops with "plugin/${d.name}: unknown property '${name}'". ${change.replacement[0]!.toUpperCase()}${change.replacement.slice(1)}` });
              } else {
                const removal = change.stages.find((s) => s.stage === "removed");
                const what = stage.stage === "ignored" ? `is ignored since CoreDNS ${stage.since}` : `is deprecated since CoreDNS ${stage.since}`;
                report({
                  loc,
                  severity: "warning",
                  message: `${d.name} option '${shown}' ${what} (target ${describeTarget(target)})${removal ? ` and removed in ${removal.since}, where CoreDNS stops with "unknown property '${name}'"` : ""}. ${change.replacement[0]!.toUpperCase()}${change.replacement.slice(1)}`,
                });
              }
            }
          }
        }
      }
    }
  },
});
