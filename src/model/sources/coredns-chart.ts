/**
 * The CoreDNS Helm chart (coredns/helm charts/coredns, and RKE2's rke2-coredns): its `servers:`
 * rendered into the Corefile exactly as templates/configmap.yaml does, with every character mapped
 * back to the values line that produced it, so each coredns/* finding points into the values file,
 * the HelmRelease, the Argo CD Application or the HelmChartConfig. The template:
 *   {{ range .Values.extraConfig }}  NAME PARAMETERS            (top-level directives such as import)
 *   {{ range .Values.servers }}      SCHEME+ZONE (space-separated, "." by default)[:PORT ]{
 *     NAME[ PARAMETERS][ { CONFIGBLOCK indented } ]              (one line per plugin)
 *   }
 * No `servers:` means the chart's default Corefile, which is not rendered here (it is a stock one).
 * `service.clusterIP` is the kube-dns address (a cluster DNS fact).
 */
import { parseCorefile } from "../../parsers/corefile/index.js";
import { LineIndex } from "../../parsers/lines.js";
import type { PathSegment } from "../../parsers/yaml.js";
import type { CorefileArtifact, Loc } from "../types.js";
import { addFacts, isRecord, locOf } from "./lib.js";
import type { SourceAdapter, SourceContext, ValuesRef } from "./types.js";

/** Text built piece by piece, each character with the file offset it comes from. */
class MappedText {
  text = "";
  offsets: number[] = [];
  /** Synthetic text (braces, blanks) placed at `at`. */
  put(s: string, at: number): void {
    this.text += s;
    for (let i = 0; i < s.length; i++) this.offsets.push(at);
  }
  /** A value from the values: mapped character by character when its source is known. */
  value(ref: ValuesRef, path: PathSegment[], s: string): void {
    const full = [...ref.base, ...path];
    const src = typeof ref.obj.value === "object" ? ref.obj.stringSource(full) : undefined;
    if (src && src.value === s && src.offsets.length >= s.length) {
      this.text += s;
      for (let i = 0; i < s.length; i++) this.offsets.push(src.offsets[i]!);
      return;
    }
    this.put(s, locOf(ref.obj, full).start);
  }
}

const asText = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null);

/**
 * A scalar as Helm reads it: go-yaml keeps `.` a string, while a YAML 1.1 float pattern (the parser's
 * for documents held in strings) makes it NaN; a non-string scalar is taken as written.
 */
function scalarText(ref: ValuesRef, path: PathSegment[], v: unknown): string | null {
  if (typeof v === "string" || v === undefined || v === null) return asText(v);
  const r = ref.obj.rangeAt([...ref.base, ...path]);
  if (r && typeof v !== "object") {
    const raw = r.file.text.slice(r.start, r.end).trim().replace(/^["']|["']$/g, "");
    if (raw && !/\n/.test(raw)) return raw;
  }
  return asText(v);
}

/** Render the chart's Corefile from `servers` and `extraConfig`. */
export function renderCorefile(ref: ValuesRef): MappedText | null {
  const servers = ref.values.servers;
  if (!Array.isArray(servers)) return null;
  const out = new MappedText();
  const anchor = (path: PathSegment[]) => locOf(ref.obj, [...ref.base, ...path]).start;
  const extra = isRecord(ref.values.extraConfig) ? ref.values.extraConfig : {};
  // Go templates range over a map in key order.
  for (const name of Object.keys(extra).sort()) {
    const conf = extra[name];
    if (out.text) out.put("\n", anchor(["extraConfig", name]));
    out.value(ref, ["extraConfig", name], name);
    const params = isRecord(conf) ? asText(conf.parameters) : null;
    if (params) {
      out.put(" ", anchor(["extraConfig", name]));
      out.value(ref, ["extraConfig", name, "parameters"], params);
    }
  }
  if (out.text) out.put("\n", anchor(["servers"]));
  servers.forEach((server, si) => {
    if (!isRecord(server)) return;
    const at = anchor(["servers", si]);
    const zones = Array.isArray(server.zones) ? server.zones : [];
    if (zones.length === 0) out.put(".", at);
    zones.forEach((z, zi) => {
      if (zi) out.put(" ", at);
      const zone = isRecord(z) ? z : {};
      const scheme = scalarText(ref, ["servers", si, "zones", zi, "scheme"], zone.scheme);
      if (scheme) out.value(ref, ["servers", si, "zones", zi, "scheme"], scheme);
      const name = scalarText(ref, ["servers", si, "zones", zi, "zone"], zone.zone);
      if (name) out.value(ref, ["servers", si, "zones", zi, "zone"], name);
      else out.put(".", anchor(["servers", si, "zones", zi]));
    });
    const port = asText(server.port);
    if (port) {
      out.put(":", anchor(["servers", si, "port"]));
      out.value(ref, ["servers", si, "port"], port);
      out.put(" ", anchor(["servers", si, "port"]));
    }
    out.put("{", at);
    const plugins = Array.isArray(server.plugins) ? server.plugins : [];
    plugins.forEach((p, pi) => {
      if (!isRecord(p)) return;
      const pAt = anchor(["servers", si, "plugins", pi]);
      out.put("\n    ", pAt);
      out.value(ref, ["servers", si, "plugins", pi, "name"], asText(p.name) ?? "");
      const params = asText(p.parameters);
      if (params) {
        out.put(" ", pAt);
        out.value(ref, ["servers", si, "plugins", pi, "parameters"], params);
      }
      const block = asText(p.configBlock);
      if (block) {
        out.put(" {\n", pAt);
        // `indent 12` in the template: every line of the block, 8 columns in the Corefile.
        const src = ref.obj.stringSource([...ref.base, "servers", si, "plugins", pi, "configBlock"]);
        const blockAt = anchor(["servers", si, "plugins", pi, "configBlock"]);
        let i = 0;
        for (const line of block.split("\n")) {
          out.put("        ", src && src.value === block ? src.offsets[i] ?? blockAt : blockAt);
          for (let k = 0; k < line.length; k++) {
            out.text += line[k];
            out.offsets.push(src && src.value === block ? src.offsets[i + k] ?? blockAt : blockAt);
          }
          i += line.length + 1;
          out.put("\n", blockAt);
        }
        out.put("    }", pAt);
      }
    });
    out.put("\n}\n", at);
  });
  // `|-` strips the final line break.
  while (out.text.endsWith("\n")) {
    out.text = out.text.slice(0, -1);
    out.offsets.pop();
  }
  return out;
}

function corefileArtifact(ref: ValuesRef, mapped: MappedText): CorefileArtifact {
  const file = ref.obj.file;
  const files: Record<string, string> = {};
  const zoneFiles = Array.isArray(ref.values.zoneFiles) ? ref.values.zoneFiles : [];
  for (const z of zoneFiles) if (isRecord(z) && typeof z.filename === "string" && typeof z.contents === "string") files[`/etc/coredns/${z.filename}`] = z.contents;
  const filename = "/etc/coredns/Corefile";
  const parse = parseCorefile(mapped.text, { filename, env: {}, files, onUnknownDirective: "record", onMissingImport: "record" });
  const whole = locOf(ref.obj, [...ref.base, "servers"]);
  const lines = new LineIndex(mapped.text);
  return {
    file,
    configMap: null,
    key: null,
    parse,
    deployment: null,
    mountedFiles: new Map(),
    locate(pos): Loc {
      if (pos.file && pos.file !== filename) return whole;
      let start: number;
      let end: number;
      if (pos.offset !== undefined) {
        start = pos.offset;
        end = pos.endOffset ?? pos.offset + 1;
      } else {
        start = lines.lineStart(pos.line ?? 1);
        end = lines.lineEnd(pos.line ?? 1);
      }
      const at = (o: number) => mapped.offsets[Math.max(0, Math.min(o, mapped.offsets.length - 1))] ?? whole.start;
      const s = at(start);
      const e = end > start ? at(end - 1) + 1 : s;
      // Characters of one token come from one scalar; a range that jumps back (synthetic text) is cut to its start's line.
      return { file, start: s, end: e > s ? e : Math.min(file.text.length, file.lines.lineEnd(file.lines.position(s).line)) };
    },
  };
}

function values(ref: ValuesRef, ctx: SourceContext): void {
  const servers = ref.values.servers;
  if (servers !== undefined && !Array.isArray(servers)) {
    const loc = locOf(ref.obj, [...ref.base, "servers"]);
    ctx.notice(ref.obj, `${loc.file.path}:${loc.file.lines.position(loc.start).line}: ${ref.origin} servers should be a list of servers: the chart fails to render; not read`);
    return;
  }
  const mapped = renderCorefile(ref);
  if (mapped) ctx.model.corefiles.push(corefileArtifact(ref, mapped));
  const svc = isRecord(ref.values.service) ? ref.values.service : {};
  if (typeof svc.clusterIP === "string" && svc.clusterIP) addFacts(ctx.facts.clusterDNS, svc.clusterIP, locOf(ref.obj, [...ref.base, "service", "clusterIP"]), `CoreDNS chart service.clusterIP (${ref.origin})`);
}

const adapter: SourceAdapter = {
  name: "coredns-chart",
  accepts: () => false,
  chart: {
    names: /(^|[-/])coredns$/,
    textHint: /^servers:/m,
    looksLike: (v) => Array.isArray(v.servers) && v.servers.some((s) => isRecord(s) && Array.isArray(s.plugins)),
    values,
  },
};

export default adapter;
