import { defineRule } from "../../engine/rule.js";
import { looksLikeServerKey } from "../lib/corefile.js";
import { closest } from "../lib/closest.js";
import { where } from "../lib/locations.js";
import type { Loc } from "../../model/types.js";
import { tokLoc } from "./lib/corefile.js";
import { addedIn, describeTarget, isKnownPluginName, pluginExists, pluginsOf, REMOVED_PLUGINS, targetVersion } from "./lib/versions.js";


export default defineRule({
  meta: { id: "coredns/unknown-plugin", severity: "error", summary: "A directive that is not a plugin of the target CoreDNS version: CoreDNS does not start" },
  check({ cluster, report }) {
    for (const cf of cluster.corefiles) {
      const target = targetVersion(cf, cluster);
      const v = target.version;
      for (const block of cf.parse.serverBlocks) {
        let glued: { text: string; line: number; loc: Loc } | null = null;
        for (const d of block.directives) {
          const name = d.tokens[0]!;
          const gluedHere = d.tokens.find((t) => !t.quoted && !t.fromEnv && t.text.length > 1 && t.text.endsWith("{"));
          if (pluginExists(d.name, v) || d.name in REMOVED_PLUGINS || (looksLikeServerKey(d.name) && !isKnownPluginName(d.name))) {
            if (gluedHere) glued = { text: gluedHere.text, line: gluedHere.line, loc: tokLoc(cf, gluedHere) };
            continue;
          }
          const added = addedIn(d.name);
          let message: string;
          if (d.name.length > 1 && d.name.endsWith("{") && pluginExists(d.name.slice(0, -1), v)) {
            message = `Unknown directive '${d.name}': the '{' is glued to the plugin name, so no ${d.name.slice(0, -1)} block opens and CoreDNS does not start. Put a space before '{'`;
          } else if (added && isKnownPluginName(d.name)) {
            message = `Unknown directive '${d.name}': the ${d.name} plugin was added in CoreDNS ${added}, and the target is ${describeTarget(target)}; CoreDNS does not start. Upgrade CoreDNS or remove the plugin`;
          } else {
            // After a glued '{' the name is an option of the plugin above, not a misspelt plugin.
            const suggestion = glued && glued.line < name.line ? undefined : closest(d.name, pluginsOf(v));
            const hint = suggestion
              ? suggestion.toLowerCase() === d.name.toLowerCase()
                ? ` (directive names are case-sensitive: did you mean '${suggestion}'?)`
                : ` (did you mean '${suggestion}'?)`
              : "";
            message = `Unknown directive '${d.name}'${hint}: no plugin of that name in ${describeTarget(target)}, so CoreDNS does not start`;
          }
          if (glued && glued.line < name.line) message += `; '${glued.text}' (${where(glued.loc)}) did not open a block (no space before '{'), so this option is read as a directive of the server block`;
          report({ loc: tokLoc(cf, name), message });
          if (gluedHere) glued = { text: gluedHere.text, line: gluedHere.line, loc: tokLoc(cf, gluedHere) };
        }
      }
    }
  },
});
