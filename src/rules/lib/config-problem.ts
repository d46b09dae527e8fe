/**
 * A problem found in a component configuration file (KubeProxyConfiguration,
 * KubeletConfiguration).
 *
 * - "unknown-field": the field is not part of the API version. The component's strict
 *   decoding fails and it falls back to lenient decoding, which ignores the field (a
 *   warning in the component's log, the setting silently has no effect).
 * - "wrong-type": the value cannot be decoded into the field's Go type; the component
 *   refuses to start.
 * - "invalid": the value decodes but the component's own validation (after its defaulting)
 *   rejects it, or the component silently drops it at runtime (e.g. kubelet clusterDNS).
 */
export interface ConfigProblem {
  kind: "unknown-field" | "wrong-type" | "invalid";
  /** Path in the versioned (file) form, e.g. "iptables.syncPeriod", "nodePortAddresses[1]". */
  field: string;
  /** Specific message: names the value and what is expected. */
  message: string;
  /** For unknown-field: the closest known field name. */
  suggestion?: string;
}

/** Render a JSON pointer style list of segments as "a.b[1].c" (map keys with dots quoted). */
export function formatPath(segments: ReadonlyArray<string | number>): string {
  let out = "";
  for (const seg of segments) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** A short description of a JSON value for messages: `"abc"`, `12`, `an object`, ... */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}

/** Go's time.ParseDuration grammar; used as a JSON Schema pattern for metav1.Duration. */
export const GO_DURATION_PATTERN =
  "^[-+]?(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)$";

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  "\u00b5s": 1e3,
  "\u03bcs": 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go's time.ParseDuration; nanoseconds, or null when Go would return an error. */
export function parseGoDuration(input: string): number | null {
  if (typeof input !== "string") return null;
  let s = input;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return null;
  let total = 0;
  const re = /^([0-9]*)(?:\.([0-9]*))?(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/;
  while (s !== "") {
    const m = re.exec(s);
    if (!m) return null;
    const intPart = m[1] ?? "";
    const frac = m[2];
    if (intPart === "" && (frac === undefined || frac === "")) return null;
    const unit = UNIT_NS[m[3]!]!;
    const value = Number(intPart === "" ? "0" : intPart) + (frac ? Number(`0.${frac}`) : 0);
    total += value * unit;
    s = s.slice(m[0].length);
  }
  // Go rejects durations beyond ~292 years (int64 nanoseconds).
  if (total > 9223372036854775807) return null;
  return neg ? -total : total;
}

/** Go's Duration.String() for the common cases ("30s", "1h0m0s", "500ms"). */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return "0s";
  const neg = ns < 0;
  let u = Math.abs(ns);
  let out: string;
  if (u < 1e9) {
    if (u < 1e3) out = `${u}ns`;
    else if (u < 1e6) out = `${u / 1e3}\u00b5s`;
    else out = `${u / 1e6}ms`;
  } else {
    const h = Math.floor(u / 3600e9);
    u -= h * 3600e9;
    const m = Math.floor(u / 60e9);
    u -= m * 60e9;
    const sec = `${Number((u / 1e9).toFixed(9))}s`;
    out = h > 0 ? `${h}h${m}m${sec}` : m > 0 ? `${m}m${sec}` : sec;
  }
  return neg ? `-${out}` : out;
}

/** The subset of an Ajv ErrorObject that schemaProblems() needs (also fits standalone code). */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A (draft-07) JSON Schema as plain data. */
export type JsonSchema = { [key: string]: unknown };

function decodePointer(ptr: string): string[] {
  if (ptr === "") return [];
  return ptr
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The sub-schema for a path of instance segments (object properties / map values / items). */
export function subSchema(schema: JsonSchema, segments: ReadonlyArray<string>): JsonSchema | undefined {
  let cur: JsonSchema | undefined = schema;
  for (const seg of segments) {
    if (!cur) return undefined;
    const props = cur.properties as Record<string, JsonSchema> | undefined;
    if (props && Object.prototype.hasOwnProperty.call(props, seg)) {
      cur = props[seg];
    } else if (cur.items && typeof cur.items === "object" && /^[0-9]+$/.test(seg)) {
      cur = cur.items as JsonSchema;
    } else if (cur.additionalProperties && typeof cur.additionalProperties === "object") {
      cur = cur.additionalProperties as JsonSchema;
    } else {
      return undefined;
    }
  }
  return cur;
}

function segmentsToPath(schema: JsonSchema, segments: ReadonlyArray<string>): string {
  // Array indexes become numbers so formatPath renders them as [i].
  const out: Array<string | number> = [];
  let cur: JsonSchema | undefined = schema;
  for (const seg of segments) {
    const isIndex = cur !== undefined && cur.items !== undefined && /^[0-9]+$/.test(seg);
    out.push(isIndex ? Number(seg) : seg);
    cur = cur ? subSchema(cur, [seg]) : undefined;
  }
  return formatPath(out);
}

function getAt(root: unknown, segments: ReadonlyArray<string>): unknown {
  let cur: unknown = root;
  for (const seg of segments) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** What a schema expects, in words, for wrong-type messages. */
export function describeExpected(s: JsonSchema | undefined): string {
  if (!s) return "a different type";
  if (typeof s.description === "string" && s.description !== "") return s.description;
  if (s.pattern === GO_DURATION_PATTERN) return 'a duration string such as "30s" or "1m30s"';
  const types = (Array.isArray(s.type) ? s.type : [s.type]).filter((t) => t !== "null") as string[];
  const words = types.map((t) => {
    switch (t) {
      case "integer":
        return typeof s.minimum === "number" && typeof s.maximum === "number"
          ? `an integer in [${s.minimum}, ${s.maximum}]`
          : "an integer";
      case "number":
        return "a number";
      case "string":
        return "a string";
      case "boolean":
        return "a boolean (true/false)";
      case "array":
        return "a list";
      case "object":
        return s.additionalProperties && typeof s.additionalProperties === "object"
          ? `a mapping of ${describeExpected(s.additionalProperties as JsonSchema)} values`
          : "a mapping";
      default:
        return t;
    }
  });
  return words.join(" or ");
}

export interface SchemaProblemsResult {
  problems: ConfigProblem[];
  /** Formatted paths of values that had the wrong type (semantic checks must skip them). */
  badPaths: Set<string>;
}

/**
 * "Did you mean" suggestions for the first this many unknown fields of one configuration. Each
 * costs an edit-distance search over the known names (about a hundred); a file with more unknown
 * fields than this is not a configuration with typos but something else (a generated or wrong
 * file), and its later unknown fields are still reported, only without a suggestion. The rule
 * docs (unknown-field) say so.
 */
export const MAX_SUGGESTIONS = 1000;

/** The known property names of a (sub-)schema, listed once per schema object. */
const knownNames = new WeakMap<JsonSchema, string[]>();
function knownNamesOf(parent: JsonSchema | undefined): string[] {
  if (!parent) return [];
  let known = knownNames.get(parent);
  if (!known) knownNames.set(parent, (known = Object.keys((parent.properties as Record<string, unknown>) ?? {})));
  return known;
}

const knownSets = new WeakMap<JsonSchema, Set<string>>();

/**
 * The configuration as the component reads it after lenient decoding: without the top-level fields
 * its schema does not know (they are reported as unknown fields and ignored); the object itself
 * when every field is known, so that defaulting and the semantic checks copy no unknown field (a file
 * of 300,000 of them was cloned whole). Also its unknown fields, in key order: one pass over its keys.
 */
function splitKnown(schema: JsonSchema, config: Record<string, unknown>): { known: Record<string, unknown>; unknown: string[] } {
  let known = knownSets.get(schema);
  if (!known) knownSets.set(schema, (known = new Set(knownNamesOf(schema))));
  const keys = Object.keys(config);
  const unknown: string[] = [];
  for (const k of keys) if (!known.has(k)) unknown.push(k);
  if (unknown.length === 0) return { known: config, unknown };
  const out: Record<string, unknown> = {};
  for (const k of keys) if (known.has(k)) out[k] = config[k];
  return { known: out, unknown };
}

/**
 * An unknown field, its message made when it is read. A configuration's problems are kept with its
 * model for the rules that share them: 300,000 unknown fields kept 300,000 messages of some 150
 * characters, each copied by the young-generation collections that ran while they were made, for
 * the one read that makes each finding's own message.
 */
class UnknownField implements ConfigProblem {
  readonly kind = "unknown-field" as const;

  constructor(
    readonly field: string,
    /** The closest known field name, if there is one. */
    readonly suggestion: string | undefined,
    private readonly name: string,
    /** " in PARENT" for a nested field, else "". */
    private readonly where: string,
    private readonly note: string | undefined,
  ) {}

  get message(): string {
    const { name, suggestion, note } = this;
    const parts = ['unknown field "', name, '"', this.where, "; strict decoding fails and the value is ignored"];
    if (suggestion !== undefined) parts.push(suggestion.toLowerCase() === name.toLowerCase() ? ` (field names are case-sensitive: did you mean "${suggestion}"?)` : ` (did you mean "${suggestion}"?)`);
    if (note) parts.push("; ", note);
    return parts.join("");
  }
}

/** A validator compiled ahead of time (Ajv standalone code): true when valid; the errors of its last call. */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}

/**
 * A configuration mapping checked against its schema: its problems, as schemaProblems gives them for
 * the validator's errors, and the configuration as the component reads it (splitKnown).
 *
 * The validators check a mapping's unknown fields before anything else (Ajv's additionalProperties
 * comes before properties), in the order of its keys. So the known fields alone are validated, and
 * the unknown top-level fields are taken straight from the keys and put first: the same problems in
 * the same order, without the validator's two objects per unknown field (an error and its params)
 * that 300,000 unknown fields made and kept until they were read. test/scale.test.ts holds this to
 * schemaProblems over the validator's own errors.
 */
export function validatedConfig(
  schema: JsonSchema,
  validate: CompiledValidator,
  config: Record<string, unknown>,
  suggest: (input: string, candidates: string[]) => string | undefined,
  unknownNote?: (path: string, name: string) => string | undefined,
): SchemaProblemsResult & { known: Record<string, unknown> } {
  const { known, unknown } = splitKnown(schema, config);
  validate(known);
  const errors = validate.errors ?? [];
  // The validator keeps its last errors until its next call.
  validate.errors = null;
  return { ...schemaProblems(schema, known, errors, suggest, unknownNote, unknown), known };
}

/**
 * Turn schema validation errors into ConfigProblems: additionalProperties -> unknown-field
 * (with the closest known sibling name as suggestion, for the first MAX_SUGGESTIONS of them),
 * every other keyword -> wrong-type. `topUnknown`: unknown top-level fields not among the errors
 * (validatedConfig), reported first, as the validator's errors for them would be.
 */
export function schemaProblems(
  schema: JsonSchema,
  config: unknown,
  errors: ReadonlyArray<SchemaError>,
  suggest: (input: string, candidates: string[]) => string | undefined,
  unknownNote?: (path: string, name: string) => string | undefined,
  topUnknown: readonly string[] = [],
): SchemaProblemsResult {
  const problems: ConfigProblem[] = [];
  const badPaths = new Set<string>();
  // Paths already reported, per kind: the path itself is the key (for a top-level field, the very
  // key string the validator read, its hash already computed), no string built per error.
  const seenUnknown = new Set<string>();
  const seenWrongType = new Set<string>();
  let suggestions = 0;
  const unknown = (parent: JsonSchema | undefined, segs: readonly string[], name: string, path: string) => {
    const suggestion = suggestions++ < MAX_SUGGESTIONS ? suggest(name, knownNamesOf(parent)) : undefined;
    problems.push(new UnknownField(path, suggestion, name, segs.length === 0 ? "" : ` in ${segmentsToPath(schema, segs)}`, unknownNote?.(path, name)));
  };
  // Keys of one mapping are distinct, and a top-level path is never a nested one's: no repeat to drop.
  // A top-level field's path is its name, formatted (a configuration's schema is a mapping's, not a list's).
  for (const name of topUnknown) unknown(schema, [], name, schema.items === undefined ? formatPath([name]) : segmentsToPath(schema, [name]));
  for (const err of errors) {
    const segs = decodePointer(err.instancePath);
    if (err.keyword === "additionalProperties") {
      const name = String(err.params.additionalProperty ?? "");
      const path = segmentsToPath(schema, [...segs, name]);
      if (seenUnknown.has(path)) continue;
      seenUnknown.add(path);
      unknown(subSchema(schema, segs), segs, name, path);
      continue;
    }
    const path = segmentsToPath(schema, segs);
    badPaths.add(path);
    if (seenWrongType.has(path)) continue;
    seenWrongType.add(path);
    const value = getAt(config, segs);
    const expected = describeExpected(subSchema(schema, segs));
    const label = path === "" ? "the document" : path;
    problems.push({
      kind: "wrong-type",
      field: path,
      message: `${label} must be ${expected}, got ${describeValue(value)}`,
    });
  }
  return { problems, badPaths };
}
