/** CoreDNS rules that judge the Corefile itself (plugins, options, zones, versions). */
import type { Rule } from "../../engine/rule.js";
import unknownPlugin from "./unknown-plugin.js";
import removedPlugin from "./removed-plugin.js";
import removedOption from "./removed-option.js";
import invalidPluginOption from "./invalid-plugin-option.js";
import duplicateZone from "./duplicate-zone.js";
import parserQuirk from "./parser-quirk.js";
import loopPluginMissing from "./loop-plugin-missing.js";
import reverseZoneFallthrough from "./reverse-zone-fallthrough.js";
import stubDomain from "./stub-domain.js";
import noReload from "./no-reload.js";

export const corednsCorefileRules: readonly Rule[] = [
  unknownPlugin,
  removedPlugin,
  removedOption,
  invalidPluginOption,
  duplicateZone,
  parserQuirk,
  loopPluginMissing,
  reverseZoneFallthrough,
  stubDomain,
  noReload,
];
