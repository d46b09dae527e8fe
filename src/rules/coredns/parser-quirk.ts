import { defineRule, type RuleReport } from "../../engine/rule.js";
import type { CorefileArtifact } from "../../model/types.js";
import type { CorefileToken } from "../../parsers/corefile/index.js";
import { containers } from "../../model/workloads.js";
import { where } from "../lib/locations.js";
import { detachedBrace, tokLoc } from "./lib/corefile.js";
import { isErrOnce, pluginExists, targetVersion } from "./lib/versions.js";

const KNOWN_SCHEMES = ["dns", "tls", "quic", "grpc", "https", "https3", "unix"];

/**
 * Names of the environment variables the CoreDNS container has (value or valueFrom), null without a
 * Deployment, "unknown" when envFrom may set any of them.
 */
function containerEnv(cf: CorefileArtifact): Set<string> | null | "unknown" {
  if (!cf.deployment) return null;
  const names = new Set<string>();
  for (const c of containers(cf.deployment)) {
    if (!/coredns|node-cache/.test(c.image) && c.name !== "coredns") continue;
    if (Array.isArray(c.value.envFrom) && c.value.envFrom.length > 0) return "unknown";
    const env = Array.isArray(c.value.env) ? c.value.env : [];
    for (const e of env) if (e && typeof e === "object" && typeof (e as { name?: unknown }).name === "string") names.add((e as { name: string }).name);
  }
  return names;
}

export default defineRule({
  meta: { id: "coredns/parser-quirk", severity: "warning", summary: "What CoreDNS's parser accepts but almost surely not as meant: glued # or braces, a block's { on the next line, a stray }, an unset {$VAR}, an unknown key scheme" },
  check({ cluster, report }) {
    for (const cf of cluster.corefiles) {
      const v = targetVersion(cf, cluster).version;
      const out: RuleReport[] = [];
      const loc = (t: CorefileToken) => tokLoc(cf, t);
      // Every token in order, without copying them into one array (a directive may hold millions).
      const eachToken = (fn: (t: CorefileToken) => void) => {
        for (const block of cf.parse.serverBlocks) {
          for (const t of block.keyTokens) fn(t);
          for (const d of block.directives) for (const t of d.tokens) fn(t);
        }
      };
      // `log#x y`: the comment ends at the next space, so `y` is still a token of the line.
      // One pass finds, for each comment, the first token that ends where it starts and the first
      // token after it on its line.
      const gluedTo = new Map<string, CorefileToken>();
      const onLine = new Map<string, CorefileToken[]>();
      if (cf.parse.comments.length) {
        const commentStarts = new Set(cf.parse.comments.map((c) => `${c.file ?? ""}\0${c.offset}`));
        const commentLines = new Set(cf.parse.comments.map((c) => `${c.file ?? ""}\0${c.line}`));
        eachToken((t) => {
          const end = `${t.file ?? ""}\0${t.endOffset}`;
          if (commentStarts.has(end) && !gluedTo.has(end)) gluedTo.set(end, t);
          const line = `${t.file ?? ""}\0${t.line}`;
          if (commentLines.has(line)) {
            const list = onLine.get(line);
            if (list) list.push(t);
            else onLine.set(line, [t]);
          }
        });
      }
      for (const c of cf.parse.comments) {
        const before = gluedTo.get(`${c.file ?? ""}\0${c.offset}`);
        if (!before) continue;
        const after = onLine.get(`${c.file ?? ""}\0${c.line}`)?.find((t) => t.offset > c.offset);
        if (!after) continue;
        out.push({
          loc: cf.locate({ offset: c.offset, endOffset: c.endOffset, ...(c.file ? { file: c.file } : {}) }),
          message: `'${c.text}' is glued to '${before.text}': a '#' inside a word comments out only the rest of that word, so '${after.text}' after it is still read (as an argument of the line). Put a space before '#' to comment out the rest of the line`,
        });
      }
      for (const block of cf.parse.serverBlocks) {
        for (const t of block.keyTokens) {
          if (t.text === "}" && !t.quoted) {
            out.push({ loc: loc(t), message: `a stray '}' became a server key ('}' at the top level does not close anything): it starts a server block for the zone '}.'. Remove the extra '}'` });
            continue;
          }
          const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(t.text);
          if (scheme && !KNOWN_SCHEMES.includes(scheme[1]!)) {
            out.push({ loc: loc(t), message: `'${scheme[1]}://' is not a scheme CoreDNS knows (dns, tls, quic, grpc, https, https3): the whole key '${t.text}' becomes a plain DNS zone on port 53` });
          }
        }
        // A directive name with a brace glued to it (`hosts{`) is an unknown directive: coredns/unknown-plugin reports it.
        const names = new Set(block.directives.map((d) => d.tokens[0]!));
        const glued = (t: CorefileToken) => {
          if (t.quoted || t.fromEnv || t.text.length < 2 || names.has(t)) return;
          if (t.text.endsWith("{")) {
            out.push({ loc: loc(t), message: `'${t.text}' is one word: a '{' glued to a word does not open a block, so the lines after it are read as directives of the server block and the next '}' closes the server block. Put a space before '{'` });
          } else if (t.text.startsWith("}")) {
            out.push({ loc: loc(t), message: `'${t.text}' is one word: a '}' glued to a word does not close a block. Put a space after '}'` });
          }
        };
        for (const t of block.keyTokens) glued(t);
        for (const d of block.directives) for (const t of d.tokens) glued(t);
        for (const d of block.directives) {
          const brace = detachedBrace(d);
          // forward and the once-per-block plugins fail setup on it: coredns/invalid-plugin-option reports those.
          if (!brace || !pluginExists(d.name, v) || d.name === "forward" || isErrOnce(d.name, v)) continue;
          out.push({ loc: loc(brace), message: `this '{' on its own line opens no block for ${d.name} (${where(loc(d.tokens[0]!))}): a plugin reads its options only when '{' ends the directive's line, so the lines inside are read as more ${d.name} arguments or fail setup. Move '{' to the end of the ${d.name} line` });
        }
      }
      // {$VAR} / {%VAR%}: an unset variable expands to nothing (coredns/caddy parse.go replaceEnvVars).
      const env = containerEnv(cf);
      const seen = new Set<string>();
      eachToken((t) => {
        if (env === "unknown" || !t.fromEnv || !t.raw) return;
        for (const m of t.raw.matchAll(/\{\$([^{}$%]+)\}|\{%([^{}$%]+)%\}/g)) {
          const name = (m[1] ?? m[2])!;
          if ((env && env.has(name)) || seen.has(`${t.offset}:${name}`)) continue;
          seen.add(`${t.offset}:${name}`);
          const whose = env ? `the ${cf.deployment!.kind} ${cf.deployment!.name} sets no ${name} in the CoreDNS container's env` : `no Deployment that mounts this Corefile is in the input, so every variable counts as unset`;
          out.push({ loc: loc(t), message: `'${t.raw}' uses the environment variable ${name}, which is unset (${whose}): CoreDNS replaces it with an empty string${t.text ? `, giving '${t.text}'` : ""}` });
        }
      });
      for (const r of out) report(r);
    }
  },
});
