/**
 * Unrendered templates: files that become manifests or configs only after a tool fills them in
 * (Helm, Jinja/Ansible, gomplate, an installer's sed). They are never linted as final files: each
 * kind gets one notice that says they were not checked and how to lint them rendered.
 */
import path from "node:path";

export type TemplateKind = "jinja" | "go-template" | "placeholder" | "helm-chart";

export interface SkippedTemplate {
  /** Display path (for a Helm chart: the chart's directory). */
  path: string;
  kind: TemplateKind;
}

/** Template suffixes by kind: the name without the suffix says what the rendered file is. */
const SUFFIX_KIND: Record<string, TemplateKind> = {
  ".j2": "jinja",
  ".jinja": "jinja",
  ".jinja2": "jinja",
  ".tpl": "go-template",
  ".tmpl": "go-template",
  ".gotmpl": "go-template",
  ".template": "placeholder",
  ".sed": "placeholder",
  ".base": "placeholder",
  ".in": "placeholder",
};

/**
 * The kind of template a file name says it is, when the rendered name (without the suffix) is one
 * kube-netlint would read (`kubeadm.conf.j2`, `coredns.yaml.sed`, `Corefile.tpl`); else null.
 */
export function templateKindByName(name: string, isCandidate: (renderedName: string) => boolean): TemplateKind | null {
  const ext = path.posix.extname(name).toLowerCase();
  const kind = SUFFIX_KIND[ext];
  if (!kind) return null;
  const rendered = name.slice(0, -ext.length);
  // `.in`/`.base` alone are too common to mean a template of anything kube-netlint reads (Makefile.in, x.base).
  if (!path.posix.extname(rendered) && !/corefile|resolv\.conf/i.test(rendered)) return null;
  return isCandidate(rendered) ? kind : null;
}

// `{{ … }}` and `{% … %}` actions. CoreDNS's own `template` plugin writes Go templates in the
// arguments of answer/additional/authority: those lines are Corefile content, not a template.
// `${{ }}` is a GitHub Actions expression in a final file, not a template action.
const GO_OR_JINJA_ACTION = /(?<!\$)\{\{-?|\{%-?\s*[a-z]/;
const COREDNS_TEMPLATE_LINE = /^\s*(answer|additional|authority)\s/;
const JINJA_ONLY = /\{%-?\s*[a-z]|\{\{-?\s*[a-z_][\w.]*\s*\|\s*[a-z_]+|\{\{-?\s*[a-z_][a-z0-9_]*\s*-?\}\}/;

/** The template kind of content with `{{ }}`/`{% %}` actions, else null. */
export function templateKindByContent(text: string): TemplateKind | null {
  if (!text.includes("{{") && !text.includes("{%")) return null;
  let go = false;
  for (const line of text.split("\n")) {
    if (!GO_OR_JINJA_ACTION.test(line) || COREDNS_TEMPLATE_LINE.test(line)) continue;
    if (/^\s*#/.test(line) && !/^\s*\{/.test(line)) continue;
    if (JINJA_ONLY.test(line)) return "jinja";
    go = true;
  }
  return go ? "go-template" : null;
}

/** Installer placeholders (`__PILLAR__DNS__SERVER__`, `__VNI__`): a reason a file that does not parse is a template, not a broken file. */
export function hasPlaceholders(text: string): boolean {
  return /__[A-Z][A-Z0-9_]*__/.test(text);
}

const HOW: Record<TemplateKind, (example: string) => string> = {
  jinja: (e) => `render them (Ansible's template module, or the jinja2 CLI) and lint the output, e.g. jinja2 ${e} vars.yaml | kube-netlint - --stdin-filename ${renderedName(e)}`,
  "go-template": (e) => `render them (helm template, gomplate) and lint the output, e.g. gomplate -f ${e} | kube-netlint - --stdin-filename ${renderedName(e)}`,
  placeholder: (e) => `render them as the project does (its installer's sed or envsubst, gomplate, helm) and lint the output, e.g. sed -e 's/__NAME__/value/' ${e} | kube-netlint - --stdin-filename ${renderedName(e)}`,
  "helm-chart": (e) => `lint the rendered chart: helm template ${path.posix.basename(e) || "release"} ${e} | kube-netlint - --stdin-filename ${e}/rendered.yaml`,
};

const WHAT: Record<Exclude<TemplateKind, "helm-chart">, [string, string]> = {
  jinja: ["Jinja template (*.j2, {% %})", "Jinja templates (*.j2, {% %})"],
  "go-template": ["Go template (*.tpl, *.gotmpl, {{ }})", "Go templates (*.tpl, *.gotmpl, {{ }})"],
  placeholder: ["template (*.template, *.sed, *.base, *.in, __PLACEHOLDER__)", "templates (*.template, *.sed, *.base, *.in, __PLACEHOLDER__)"],
};

function renderedName(file: string): string {
  const ext = path.posix.extname(file).toLowerCase();
  return SUFFIX_KIND[ext] && path.posix.extname(file.slice(0, -ext.length)) ? file.slice(0, -ext.length) : file;
}

/** One notice per kind of template (one per Helm chart), in a stable order. */
export function templateNotices(skipped: readonly SkippedTemplate[]): string[] {
  const out: string[] = [];
  const charts = [...new Set(skipped.filter((s) => s.kind === "helm-chart").map((s) => s.path))].sort();
  for (const c of charts) out.push(`${c}: a Helm chart: its templates/ are not rendered, so they were not checked; ${HOW["helm-chart"](c)}`);
  // A file counts once, under the first kind found in it.
  const kindOf = new Map<string, TemplateKind>();
  for (const s of skipped) if (s.kind !== "helm-chart" && !kindOf.has(s.path)) kindOf.set(s.path, s.kind);
  for (const kind of ["jinja", "go-template", "placeholder"] as const) {
    const files = [...kindOf].filter(([, k]) => k === kind).map(([p]) => p).sort();
    if (!files.length) continue;
    const n = files.length;
    const list = n <= 3 ? files.join(", ") : `${files.slice(0, 3).join(", ")} and ${n - 3} more`;
    out.push(`${n} unrendered ${WHAT[kind][n === 1 ? 0 : 1]} not checked (${list}): ${HOW[kind](files[0]!)}`);
  }
  return out;
}
