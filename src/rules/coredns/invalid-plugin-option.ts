import { defineRule, type RuleReport } from "../../engine/rule.js";
import type { CorefileArtifact } from "../../model/types.js";
import type { CorefileDirective, CorefileServerBlock, CorefileToken } from "../../parsers/corefile/index.js";
import { closest } from "../lib/closest.js";
import { blockOptions, directiveArgs, type BlockOption } from "../lib/corefile.js";
import { where } from "../lib/locations.js";
import { blockKeys, detachedBrace, keyZones, spanLoc, tokLoc, upstreamKind } from "./lib/corefile.js";
import { atLeast, describeTarget, isErrOnce, isStub, optionFacts, optionsOf, optionSwitch, pluginExists, targetVersion, type TargetVersion, unknownOptionError, type Version } from "./lib/versions.js";

const isReverse = (zone: string) => /(^|\.)(in-addr|ip6)\.arpa\.?$/i.test(zone);

interface Ctx {
  cf: CorefileArtifact;
  target: TargetVersion;
  v: Version;
  out: RuleReport[];
}

function fail(ctx: Ctx, at: CorefileToken | [CorefileToken, CorefileToken], plugin: string, error: string, why: string): void {
  const loc = Array.isArray(at) ? spanLoc(ctx.cf, at[0], at[1]) : tokLoc(ctx.cf, at);
  ctx.out.push({ loc, message: `plugin/${plugin}: ${error}: ${why}; CoreDNS does not start` });
}

/**
 * Unknown options, and options the target is too old for, for every plugin whose option switch the
 * generated history knows at the target release. Options a release removed are coredns/removed-option's.
 */
function checkOptionNames(ctx: Ctx, plugin: string, options: readonly BlockOption[]): void {
  if (options.length === 0) return;
  const kind = optionSwitch(plugin, ctx.v);
  const known = optionsOf(plugin, ctx.v);
  if (!kind || !known) return;
  for (const opt of options) {
    const name = opt.name.text;
    // A placeholder or an unset environment variable is not an option name to judge.
    if (opt.name.fromEnv || /__[A-Z0-9_]+__/.test(name) || known.includes(name)) continue;
    const facts = optionFacts(plugin, name, ctx.v);
    if (facts?.removedIn) continue;
    if (facts?.since) {
      fail(ctx, opt.name, plugin, unknownOptionError(kind, name), `the ${plugin} option '${name}' was added in CoreDNS ${facts.since}, and the target is ${describeTarget(ctx.target)}`);
      continue;
    }
    const suggestion = closest(name, known);
    fail(ctx, opt.name, plugin, unknownOptionError(kind, name), `${plugin} has no option '${name}' in ${describeTarget(ctx.target)}${suggestion ? ` (did you mean '${suggestion}'?)` : ""}`);
  }
}

function checkKubernetes(ctx: Ctx, block: CorefileServerBlock, d: CorefileDirective): void {
  const args = directiveArgs(d);
  const zones = args.length ? args.flatMap((a) => (keyZones(a.text, ctx.v) ?? []).map((z) => z.zone)) : blockKeys(block).flatMap(({ key }) => (keyZones(key, ctx.v) ?? []).map((z) => z.zone));
  if (zones.length > 0 && zones.every(isReverse)) {
    fail(ctx, args.length ? [args[0]!, args[args.length - 1]!] : d.tokens[0]!, "kubernetes", "non-reverse zone name must be used", `the kubernetes plugin is given only reverse zones (${zones.join(" ")}); add the cluster domain`);
  }
  const options = blockOptions(d);
  for (const opt of options) {
    const a = opt.args;
    if (opt.name.text === "ttl") {
      const min = atLeast(ctx.v, "1.3.0") ? 0 : 5;
      const n = a.length === 1 && /^[+-]?\d+$/.test(a[0]!.text) ? Number(a[0]!.text) : null;
      if (a.length !== 1) fail(ctx, opt.name, "kubernetes", "Wrong argument count or unexpected line ending after 'ttl'", "ttl takes one number of seconds");
      else if (n === null) fail(ctx, a[0]!, "kubernetes", `strconv.Atoi: parsing "${a[0]!.text}": invalid syntax`, "ttl takes a whole number of seconds");
      else if (n < min || n > 3600) fail(ctx, a[0]!, "kubernetes", `ttl must be in range [${min}, 3600]: ${n}`, `ttl ${n} is outside ${min}..3600 seconds`);
    } else if (opt.name.text === "pods") {
      const mode = a[0]?.text;
      if (a.length !== 1) fail(ctx, opt.name, "kubernetes", "Wrong argument count or unexpected line ending after 'pods'", "pods takes one of disabled, insecure, verified");
      else if (mode !== "disabled" && mode !== "insecure" && mode !== "verified") fail(ctx, a[0]!, "kubernetes", `wrong value for pods: ${mode}`, "pods must be disabled, insecure or verified");
    }
  }
  const ns = options.find((o) => o.name.text === "namespaces");
  const nsl = options.find((o) => o.name.text === "namespace_labels");
  if (ns && nsl) fail(ctx, nsl.name, "kubernetes", "namespaces and namespace_labels cannot both be set", `namespaces is set at ${where(tokLoc(ctx.cf, ns.name))}`);
}

function checkForward(ctx: Ctx, d: CorefileDirective): void {
  const args = directiveArgs(d);
  const name = d.tokens[0]!;
  if (args.length < 2) {
    const last = args[args.length - 1] ?? name;
    fail(ctx, last, "forward", `Wrong argument count or unexpected line ending after '${last.text}'`, args.length ? "forward needs at least one upstream after the zone it forwards" : "forward needs a zone and at least one upstream");
    return;
  }
  const tos = args.slice(1);
  if (tos.length > 15) fail(ctx, [tos[15]!, tos[tos.length - 1]!], "forward", `more than 15 TOs configured: ${tos.length}`, "forward takes at most 15 upstreams");
  for (const to of tos) {
    // Template placeholders (nodelocaldns's __PILLAR__CLUSTER__DNS__, filled in at runtime) are not judged.
    if (/__[A-Z0-9_]+__/.test(to.text)) continue;
    // An unset {$VAR} is reported by coredns/parser-quirk; its empty expansion is only the symptom.
    if (to.fromEnv && to.text === "") continue;
    const { scheme, kind } = upstreamKind(to.text);
    if (scheme !== "dns" && scheme !== "tls" && scheme !== "https") {
      fail(ctx, to, "forward", `'${scheme}' is not supported as a destination protocol in forward: ${to.text}`, "forward upstreams use dns://, tls:// (or https://)");
    } else if (kind === "invalid" || (kind === "hostname" && !atLeast(ctx.v, "1.14.4"))) {
      fail(ctx, to, "forward", `not an IP address or file: "${to.text}"`, kind === "hostname" ? `upstream host names are resolved only since CoreDNS 1.14.4, and the target is ${describeTarget(ctx.target)}` : "an upstream is an IP[:port] or a resolv.conf-style file");
    }
  }
  const options = blockOptions(d);
  for (const opt of options) {
    if (opt.name.text === "policy") {
      const p = opt.args[0]?.text;
      if (opt.args.length !== 1) fail(ctx, opt.name, "forward", "Wrong argument count or unexpected line ending after 'policy'", "policy takes one of random, round_robin, sequential");
      else if (p !== "random" && p !== "round_robin" && p !== "sequential") fail(ctx, opt.args[0]!, "forward", `unknown policy '${p}'`, `forward's policies are random, round_robin and sequential${p === "least_conn" ? " (least_conn was proxy's)" : ""}`);
    } else if ((opt.name.text === "force_tcp" || opt.name.text === "prefer_udp") && opt.args.length > 0) {
      fail(ctx, opt.args[0]!, "forward", `Wrong argument count or unexpected line ending after '${opt.args[0]!.text}'`, `${opt.name.text} takes no arguments`);
    }
  }
}

function checkCache(ctx: Ctx, d: CorefileDirective): void {
  const first = directiveArgs(d)[0];
  if (first && /^[+-]?\d+$/.test(first.text) && Number(first.text) <= 0) {
    fail(ctx, first, "cache", `cache TTL can not be zero or negative: ${Number(first.text)}`, "the first argument of cache is the maximum TTL in seconds; leave it out for the default (3600)");
  }
}

export default defineRule({
  meta: { id: "coredns/invalid-plugin-option", severity: "error", summary: "A plugin option or repetition that the plugin's setup rejects: CoreDNS does not start" },
  check({ cluster, report }) {
    for (const cf of cluster.corefiles) {
      const target = targetVersion(cf, cluster);
      const ctx: Ctx = { cf, target, v: target.version, out: [] };
      for (const block of cf.parse.serverBlocks) {
        const seen = new Map<string, CorefileDirective>();
        for (const d of block.directives) {
          if (!pluginExists(d.name, ctx.v) || isStub(d.name, ctx.v)) continue;
          const name = d.tokens[0]!;
          const first = seen.get(d.name);
          if (first && isErrOnce(d.name, ctx.v)) {
            fail(ctx, name, d.name, "this plugin can only be used once per Server Block", `${d.name} is already used in server block ${block.keys.join(" ")} at ${where(tokLoc(cf, first.tokens[0]!))}${d.name === "forward" ? ` (forward may repeat only since CoreDNS 1.9.4; the target is ${describeTarget(target)})` : ""}`);
            continue;
          }
          if (!first) seen.set(d.name, d);
          const brace = detachedBrace(d);
          if (brace && (d.name === "forward" || isErrOnce(d.name, ctx.v))) {
            // Setup reads the `{` as the start of another occurrence of the plugin.
            if (d.name === "forward") fail(ctx, brace, "forward", "Unexpected token '{', expecting argument", `the block's '{' must be on the forward line (${where(tokLoc(cf, name))}), not on a line of its own`);
            else fail(ctx, brace, d.name, "this plugin can only be used once per Server Block", `the '{' on its own line is read as a second ${d.name}: put it at the end of the ${d.name} line (${where(tokLoc(cf, name))})`);
            continue;
          }
          checkOptionNames(ctx, d.name, blockOptions(d));
          if (d.name === "kubernetes") checkKubernetes(ctx, block, d);
          else if (d.name === "forward") checkForward(ctx, d);
          else if (d.name === "cache") checkCache(ctx, d);
          else if (d.name === "loop" && directiveArgs(d).length > 0) {
            fail(ctx, directiveArgs(d)[0]!, "loop", `Wrong argument count or unexpected line ending after '${directiveArgs(d)[0]!.text}'`, "loop takes no arguments");
          }
        }
      }
      for (const r of ctx.out) report(r);
    }
  },
});

