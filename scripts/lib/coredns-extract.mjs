// Facts about a CoreDNS release read from its source text: plugin.cfg and each plugin's Go setup code.
// Pure functions over strings (no git, no file system), so that tests can feed them small synthetic
// inputs. scripts/gen-coredns-versions.mjs runs them over every release tag of a CoreDNS checkout.
//
// The Go reading is deliberately small: a tokenizer (comments dropped, string literals kept) and brace
// matching. It finds the option switch of a plugin's block (`for c.NextBlock() { switch c.Val() {
// case "opt": ... default: return c.Errf("unknown property ...") } }`) and classifies each case.
// When the code does not have that shape the plugin's options are recorded as unknown (null), and the
// rules then accept any option: a missed check is better than a false "CoreDNS does not start".

/** plugin.cfg: `name:package` lines in execution order. */
export function parsePluginCfg(text) {
  const out = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const i = line.indexOf(":");
    if (i <= 0) continue;
    const name = line.slice(0, i).trim();
    const pkg = line.slice(i + 1).trim();
    // In-tree packages are written without a path (`prometheus:metrics` is plugin/metrics).
    const external = pkg.includes("/") || pkg.includes(".");
    out.push({ name, pkg, external, dir: external ? null : `plugin/${pkg}` });
  }
  return out;
}

// ------------------------------------------------------------------ Go tokens

/** Go tokens without comments: {t: "id"|"str"|"num"|"op", v, line}. Strings keep their value (unquoted). */
export function tokenizeGo(src) {
  const toks = [];
  let i = 0;
  let line = 1;
  const n = src.length;
  while (i < n) {
    const ch = src[i];
    if (ch === "\n") {
      line++;
      i++;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\r") {
      i++;
      continue;
    }
    if (ch === "/" && src[i + 1] === "/") {
      while (i < n && src[i] !== "\n") i++;
      continue;
    }
    if (ch === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end === -1 ? n : end + 2;
      for (let k = i; k < stop; k++) if (src[k] === "\n") line++;
      i = stop;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      let v = "";
      while (j < n && src[j] !== ch && src[j] !== "\n") {
        if (src[j] === "\\" && j + 1 < n) {
          const e = src[j + 1];
          v += e === "n" ? "\n" : e === "t" ? "\t" : e;
          j += 2;
        } else v += src[j++];
      }
      toks.push({ t: ch === '"' ? "str" : "num", v, line });
      i = j + 1;
      continue;
    }
    if (ch === "`") {
      const end = src.indexOf("`", i + 1);
      const stop = end === -1 ? n : end;
      const v = src.slice(i + 1, stop);
      toks.push({ t: "str", v, line });
      for (const c of v) if (c === "\n") line++;
      i = stop + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(src[j])) j++;
      toks.push({ t: "id", v: src.slice(i, j), line });
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(src[j])) j++;
      toks.push({ t: "num", v: src.slice(i, j), line });
      i = j;
      continue;
    }
    const three = src.slice(i, i + 3);
    const two = src.slice(i, i + 2);
    const op = ["<<=", ">>=", "&^=", "..."].includes(three) ? three : [":=", "==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "|=", "&=", "<-", "<<", ">>"].includes(two) ? two : ch;
    toks.push({ t: "op", v: op, line });
    i += op.length;
  }
  return toks;
}

/** Index of the bracket that closes the one at `open` (same kind), or the last token. */
function matching(toks, open) {
  const o = toks[open].v;
  const c = o === "{" ? "}" : o === "(" ? ")" : "]";
  let depth = 0;
  for (let k = open; k < toks.length; k++) {
    if (toks[k].t !== "op") continue;
    if (toks[k].v === o) depth++;
    else if (toks[k].v === c && --depth === 0) return k;
  }
  return toks.length - 1;
}

/** The `{` that opens the body of a statement header starting at `from` (skipping parenthesised parts). */
function headerBrace(toks, from) {
  let depth = 0;
  for (let k = from; k < toks.length; k++) {
    const x = toks[k];
    if (x.t !== "op") continue;
    if (x.v === "(" || x.v === "[") depth++;
    else if (x.v === ")" || x.v === "]") depth--;
    else if (x.v === "{" && depth === 0) return k;
    else if (x.v === "}" && depth === 0) return -1;
  }
  return -1;
}

const isSel = (toks, k, obj, name) => toks[k]?.t === "id" && toks[k].v === obj && toks[k + 1]?.v === "." && toks[k + 2]?.v === name;

/** Package-level string constants and variables: `Name = "value"` (const blocks and single declarations). */
export function goStringConstants(sources) {
  const out = new Map();
  for (const src of sources) {
    const toks = tokenizeGo(src);
    for (let k = 0; k + 2 < toks.length; k++) {
      if (toks[k].t !== "id" || toks[k + 1].v !== "=" || toks[k + 2].t !== "str") continue;
      const next = toks[k + 3];
      // Only a whole right-hand side: `Success = "success"`, not `x = "a" + y`.
      if (!next || next.line !== toks[k + 2].line || next.v === ")" || next.v === ";") out.set(toks[k].v, toks[k + 2].v);
    }
  }
  return out;
}

/** The ranges [open, close] of every function body, by function name (methods by their own name). */
function functionBodies(toks) {
  const out = [];
  for (let k = 0; k < toks.length; k++) {
    if (toks[k].t !== "id" || toks[k].v !== "func") continue;
    let j = k + 1;
    if (toks[j]?.v === "(") j = matching(toks, j) + 1; // receiver
    if (toks[j]?.t !== "id") continue; // a function literal
    const name = toks[j].v;
    const brace = headerBrace(toks, j + 1);
    if (brace === -1) continue;
    out.push({ name, open: brace, close: matching(toks, brace) });
    k = brace;
  }
  return out;
}

/** Bodies of `for ... c.NextBlock() ... {` loops. */
function nextBlockLoops(toks) {
  const out = [];
  for (let k = 0; k < toks.length; k++) {
    if (toks[k].t !== "id" || toks[k].v !== "for") continue;
    const brace = headerBrace(toks, k + 1);
    if (brace === -1) continue;
    let found = false;
    for (let j = k + 1; j < brace; j++) if (toks[j].v === "NextBlock" && toks[j - 1]?.v === ".") found = true;
    if (found) out.push({ open: brace, close: matching(toks, brace) });
  }
  return out;
}

/** Every `switch` whose tag is the current token (c.Val(), or a variable assigned from it). */
function valSwitches(toks) {
  const fromVal = new Set();
  for (let k = 0; k + 5 < toks.length; k++) {
    if (toks[k].t === "id" && (toks[k + 1].v === ":=" || toks[k + 1].v === "=") && toks[k + 3]?.v === "." && toks[k + 4]?.v === "Val" && toks[k + 5]?.v === "(") fromVal.add(toks[k].v);
  }
  const out = [];
  for (let k = 0; k < toks.length; k++) {
    if (toks[k].t !== "id" || toks[k].v !== "switch") continue;
    const brace = headerBrace(toks, k + 1);
    if (brace === -1) continue;
    const header = toks.slice(k + 1, brace);
    const direct = header.some((x, j) => x.v === "Val" && header[j - 1]?.v === "." && header[j + 1]?.v === "(");
    const viaVar = header.length >= 1 && header[header.length - 1].t === "id" && fromVal.has(header[header.length - 1].v);
    if (!direct && !viaVar) continue;
    out.push({ at: k, open: brace, close: matching(toks, brace) });
  }
  return out;
}

/** The top-level `case`/`default` clauses of a switch body: labels (tokens) and the body range. */
function clauses(toks, sw) {
  const heads = [];
  let depth = 0;
  for (let k = sw.open + 1; k < sw.close; k++) {
    const x = toks[k];
    if (x.t === "op" && (x.v === "{" || x.v === "(" || x.v === "[")) depth++;
    else if (x.t === "op" && (x.v === "}" || x.v === ")" || x.v === "]")) depth--;
    else if (depth === 0 && x.t === "id" && (x.v === "case" || x.v === "default")) {
      let colon = k + 1;
      let d2 = 0;
      for (; colon < sw.close; colon++) {
        const y = toks[colon];
        if (y.v === "(" || y.v === "[" || y.v === "{") d2++;
        else if (y.v === ")" || y.v === "]" || y.v === "}") d2--;
        else if (y.v === ":" && d2 === 0) break;
      }
      heads.push({ kind: x.v, start: k, labelToks: toks.slice(k + 1, colon), bodyStart: colon + 1 });
      k = colon;
    }
  }
  return heads.map((h, i) => ({ ...h, bodyEnd: i + 1 < heads.length ? heads[i + 1].start : sw.close }));
}

const ERR_CALLS = new Set(["Errf", "Err", "ArgErr", "SyntaxErr", "Errorf", "New", "Error"]);

/** Tokens of a clause body at its own brace depth 0 (statements not inside an if/for block). */
function topLevel(body) {
  const out = [];
  let depth = 0;
  for (const x of body) {
    if (x.v === "{") depth++;
    else if (x.v === "}") depth--;
    else if (depth === 0) out.push(x);
  }
  return out;
}

/** Whether a clause body always returns an error: its first top-level statement is `return ... Err...(`. */
function alwaysFails(body) {
  const top = topLevel(body);
  if (top[0]?.v !== "return") return false;
  return top.some((x, j) => x.t === "id" && (ERR_CALLS.has(x.v) || x.v === "ErrOnce") && (top[j + 1]?.v === "(" || x.v === "ErrOnce"));
}

/**
 * How the default clause treats an unknown keyword. Closed only when it always fails: the hosts
 * plugin's default reads the keyword as an inline hosts line unless fallthrough came first.
 */
function defaultKind(toks, clause) {
  if (!clause) return "open";
  const body = toks.slice(clause.bodyStart, clause.bodyEnd);
  if (body.some((x) => x.v === "continue")) return "open";
  const top = topLevel(body);
  if (!top.some((x) => x.v === "return")) return "open";
  if (body.some((x) => x.t === "str" && /unknown property/i.test(x.v))) return "unknown-property";
  if (top.some((x, j) => x.v === "ArgErr" && top[j - 1]?.v === ".")) return "arg-error";
  if (top.some((x, j) => x.t === "id" && ERR_CALLS.has(x.v) && top[j + 1]?.v === "(")) return "error";
  return "open";
}

const ARG_READERS = new Set(["RemainingArgs", "NextArg", "Args", "Next", "NextLine", "Dispenser"]);
const LOGGERS = new Set(["log", "clog", "fmt"]);
/** Calls that have no effect on the plugin's configuration. */
const PURE_ROOTS = new Set(["log", "clog", "fmt", "len", "strings", "strconv", "time", "errors"]);

/** Whether a case body reads the keyword's arguments, does nothing with the option (ignored), or warns that it is deprecated. */
function classifyCase(toks, clause, ctrl) {
  const body = toks.slice(clause.bodyStart, clause.bodyEnd);
  let readsArgs = false;
  for (let j = 0; j < body.length; j++) {
    if (body[j].v === ctrl && body[j + 1]?.v === "." && ARG_READERS.has(body[j + 2]?.v)) readsArgs = true;
    // The controller handed to a helper (parse.Transfer(c, ...), parseBlock(c)) reads arguments too.
    if (body[j].v === ctrl && (body[j - 1]?.v === "(" || body[j - 1]?.v === ",") && (body[j + 1]?.v === ")" || body[j + 1]?.v === ",")) readsArgs = true;
  }
  // Ignored: nothing but reading (and dropping) arguments, logging, and `continue`.
  let ignored = !alwaysFails(body);
  let deprecated = false;
  let deprecatedOverArgs = null;
  for (let j = 0; j < body.length; j++) {
    const x = body[j];
    if (x.t === "op" && (x.v === "=" || x.v === ":=" || x.v === "++" || x.v === "+=" || x.v === "-=" || x.v === "|=")) {
      if (!(x.v === "=" && body[j - 1]?.v === "_")) ignored = false;
    }
    if (x.t === "id" && x.v === "return") ignored = false;
    if (x.t === "op" && x.v === "(" && body[j - 1]?.t === "id") {
      // The root of the call chain: k8s.Fall.SetZonesFromArgs(...) has an effect, c.RemainingArgs() does not.
      let r = j - 1;
      while (body[r - 1]?.v === "." && body[r - 2]?.t === "id") r -= 2;
      if (body[r].v !== ctrl && !PURE_ROOTS.has(body[r].v)) ignored = false;
    }
    if (x.t === "id" && LOGGERS.has(x.v) && body[j + 1]?.v === "." && /^(Warning|Warningf|Info|Infof|Print|Printf|Println)$/.test(body[j + 2]?.v ?? "")) {
      const close = matching(body, j + 3);
      const text = body.slice(j + 3, close).filter((y) => y.t === "str").map((y) => y.v).join(" ");
      if (/deprecat/i.test(text)) {
        // `if len(args) > N { log.Warning(...deprecated...) }`: deprecated only with more than N arguments.
        const cond = conditionOver(body, j);
        if (cond === null) deprecated = true;
        else deprecatedOverArgs = cond;
      }
      j = close;
    }
  }
  return { readsArgs, ignored, deprecated, deprecatedOverArgs, fails: alwaysFails(body) };
}

/** For a statement inside `if len(X) > N {`, N; null when it is not inside such an if. */
function conditionOver(body, at) {
  let depth = 0;
  for (let k = at - 1; k >= 0; k--) {
    if (body[k].v === "}") depth++;
    else if (body[k].v === "{") {
      if (depth === 0) {
        // Header of this block: `if len ( args ) > N {`
        const h = body.slice(Math.max(0, k - 7), k).map((x) => x.v).join(" ");
        const m = /if len \( \w+ \) > (\d+)$/.exec(h);
        return m ? Number(m[1]) : -1;
      }
      depth--;
    }
  }
  return null;
}

/**
 * The block options of one plugin package: `{ block, options }`, where block is how an unknown keyword
 * is treated ("unknown-property", "arg-error", "error", or "open" when anything goes or the code has
 * another shape) and options maps each keyword to its classification. options is null when unknown.
 */
export function extractPluginOptions(sources) {
  const consts = goStringConstants(sources);
  const found = [];
  let unresolved = false;
  for (const src of sources) {
    const toks = tokenizeGo(src);
    const loops = nextBlockLoops(toks);
    if (loops.length === 0 && !sources.some((s) => /NextBlock\(\)/.test(s))) continue;
    const switches = valSwitches(toks);
    const funcs = functionBodies(toks);
    const inside = (sw, r) => sw.at > r.open && sw.close < r.close;
    // Block contexts: the NextBlock loop bodies, and functions a loop body calls with the controller.
    const contexts = [...loops];
    for (const loop of loops) {
      if (switches.some((sw) => inside(sw, loop))) continue;
      for (let k = loop.open + 1; k < loop.close; k++) {
        if (toks[k].t === "id" && toks[k + 1]?.v === "(") {
          const args = toks.slice(k + 2, matching(toks, k + 1));
          if (!args.some((a) => a.t === "id" && a.v === "c")) continue;
          for (const f of funcs) if (f.name === toks[k].v) contexts.push(f);
        }
      }
    }
    // Callees may live in another file of the package.
    for (const other of sources) {
      if (other === src) continue;
      const ot = tokenizeGo(other);
      const otherSwitches = valSwitches(ot);
      for (const loop of nextBlockLoops(ot)) {
        if (otherSwitches.some((sw) => inside(sw, loop))) continue;
        for (let k = loop.open + 1; k < loop.close; k++) {
          if (ot[k].t === "id" && ot[k + 1]?.v === "(" && ot.slice(k + 2, matching(ot, k + 1)).some((a) => a.v === "c")) {
            for (const f of funcs) if (f.name === ot[k].v && !contexts.includes(f)) contexts.push(f);
          }
        }
      }
    }
    const candidates = switches.filter((sw) => contexts.some((r) => inside(sw, r)));
    // The outermost: a switch nested in another candidate reads an option's argument (policy random ...).
    const outer = candidates.filter((sw) => !candidates.some((o) => o !== sw && sw.at > o.open && sw.close < o.close));
    for (const sw of outer) {
      const cl = clauses(toks, sw);
      const ctrl = "c";
      const opts = [];
      for (const c of cl) {
        if (c.kind !== "case") continue;
        const labels = [];
        for (const l of c.labelToks) {
          if (l.v === ",") continue;
          if (l.t === "str") labels.push(l.v);
          else if (l.t === "id" && consts.has(l.v)) labels.push(consts.get(l.v));
          else unresolved = true;
        }
        const info = classifyCase(toks, c, ctrl);
        for (const name of labels) opts.push([name, info]);
      }
      found.push({ block: defaultKind(toks, cl.find((c) => c.kind === "default")), opts });
    }
  }
  if (found.length === 0) return { block: "open", options: null };
  const block = unresolved || found.some((f) => f.block === "open") ? "open" : found.every((f) => f.block === found[0].block) ? found[0].block : "error";
  const options = {};
  for (const f of found) for (const [name, info] of f.opts) if (!(name in options)) options[name] = info;
  return { block, options };
}

/** Whether a package's setup refuses a second use of the plugin in one server block (plugin.ErrOnce). */
export function usesErrOnce(sources) {
  return sources.some((s) => /\bplugin\.ErrOnce\b/.test(s.replace(/\/\/.*$/gm, "")));
}

/** Whether a package is the stub whose setup only fails ("this plugin has been deprecated"). */
export function isDeprecatedStub(pkg, sources) {
  return pkg === "deprecated" || sources.some((s) => /this plugin has been deprecated/.test(s));
}

// ------------------------------------------------------------------ release history

/** "v1.2.3" -> [1,2,3]; null for anything that is not a plain release tag. */
export function releaseOf(tag) {
  const m = /^v(\d+)\.(\d+)\.(\d+)$/.exec(tag);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

export const cmpRelease = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Indices where a predicate holds, as "A-B,C-D" over release names (A..B contiguous in the list). */
export function toRanges(releases, holds) {
  const parts = [];
  let start = -1;
  for (let i = 0; i <= releases.length; i++) {
    const h = i < releases.length && holds(i);
    if (h && start === -1) start = i;
    if (!h && start !== -1) {
      parts.push(start === i - 1 ? releases[start] : `${releases[start]}-${releases[i - 1]}`);
      start = -1;
    }
  }
  return parts.join(",");
}

/**
 * Fold the per-release snapshots into the committed data. `snapshots` is a list, oldest first, of
 * { release: "1.2.3", plugins: [{name, pkg, external, stub, once, block, options}] }.
 */
export function foldHistory(snapshots) {
  const releases = snapshots.map((s) => s.release);
  const byName = new Map();
  snapshots.forEach((s, i) => {
    for (const p of s.plugins) {
      let h = byName.get(p.name);
      if (!h) byName.set(p.name, (h = { at: new Map() }));
      h.at.set(i, p);
    }
  });
  const plugins = {};
  for (const [name, h] of [...byName.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const at = (i) => h.at.get(i);
    const entry = { present: toRanges(releases, (i) => !!at(i)) };
    const ext = toRanges(releases, (i) => !!at(i)?.external);
    if (ext) entry.external = ext;
    const stub = toRanges(releases, (i) => !!at(i)?.stub);
    if (stub) entry.stub = stub;
    const once = toRanges(releases, (i) => !!at(i)?.once);
    if (once) entry.once = once;
    const block = {};
    for (const kind of ["unknown-property", "arg-error", "error"]) {
      const r = toRanges(releases, (i) => at(i)?.options != null && at(i).block === kind);
      if (r) block[kind] = r;
    }
    if (Object.keys(block).length) entry.closed = block;
    const names = new Set();
    for (const p of h.at.values()) for (const o of Object.keys(p.options ?? {})) names.add(o);
    if (names.size) {
      entry.options = {};
      for (const o of [...names].sort()) {
        const opt = at; // readability
        const info = (i) => opt(i)?.options?.[o];
        const rec = { accepted: toRanges(releases, (i) => !!info(i)) };
        const ignored = toRanges(releases, (i) => !!info(i)?.ignored && !!info(i)?.readsArgs);
        const ignoredArgs = toRanges(releases, (i) => !!info(i)?.ignored && !info(i)?.readsArgs);
        const deprecated = toRanges(releases, (i) => !!info(i)?.deprecated);
        if (ignored) rec.ignored = ignored;
        if (ignoredArgs) rec.ignoredLeavesArgs = ignoredArgs;
        if (deprecated) rec.deprecated = deprecated;
        const fails = toRanges(releases, (i) => !!info(i)?.fails);
        if (fails) rec.fails = fails;
        const over = [...h.at.entries()].map(([i, p]) => [i, p.options?.[o]?.deprecatedOverArgs]).filter(([, n]) => typeof n === "number" && n >= 0);
        if (over.length) {
          rec.deprecatedOverArgs = toRanges(releases, (i) => over.some(([j]) => j === i));
          rec.deprecatedOverArgsCount = over[0][1];
        }
        entry.options[o] = rec;
      }
    }
    plugins[name] = entry;
  }
  return { releases, plugins };
}
