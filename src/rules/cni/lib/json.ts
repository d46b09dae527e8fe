/** Reading CNI config JSON the way the plugins' Go structs see it, with the offsets of every value. */
import type { JsonNode, JsonObject, JsonProperty } from "../../../parsers/json.js";
import type { CniFileArtifact, Loc } from "../../../model/types.js";

export type { JsonNode, JsonObject };

/** Go encoding/json struct-field match: ASCII case-insensitive; the last matching member wins. */
export function field(obj: JsonObject, name: string): JsonProperty | undefined {
  const lower = name.toLowerCase();
  let found: JsonProperty | undefined;
  for (const p of obj.properties) if (p.key === name || p.key.toLowerCase() === lower) found = p;
  return found;
}

/** A map lookup (`map[string]interface{}`): exact key; the last duplicate wins. */
export function mapKey(obj: JsonObject, key: string): JsonProperty | undefined {
  let found: JsonProperty | undefined;
  for (const p of obj.properties) if (p.key === key) found = p;
  return found;
}

export function asObject(n: JsonNode | undefined): JsonObject | undefined {
  return n?.type === "object" ? n : undefined;
}

export function asString(n: JsonNode | undefined): string | undefined {
  return n?.type === "string" ? n.value : undefined;
}

/** Go decodes JSON true/false into a bool field; anything else leaves it false (or fails decoding elsewhere). */
export function isTrue(n: JsonNode | undefined): boolean {
  return n?.type === "boolean" && n.value;
}

export function nodeLoc(artifact: CniFileArtifact, n: { start: number; end: number }): Loc {
  return { file: artifact.file, start: n.start, end: n.end };
}

export function keyLoc(artifact: CniFileArtifact, p: JsonProperty): Loc {
  return { file: artifact.file, start: p.keyStart, end: p.keyEnd };
}
