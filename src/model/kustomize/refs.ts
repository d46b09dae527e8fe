/**
 * What a kustomization refers to on disk: the resources, bases and components it builds on and the
 * patch files it applies, as display paths resolved against its own directory. The fleet driver
 * (engine/drive.ts) uses them to keep a kustomization tree that spans clusters' directories in one
 * build; model/kustomize/views.ts renders the tree.
 */
import path from "node:path";
import { KUSTOMIZATION_FILE } from "../load.js";

type Plain = Record<string, unknown>;
const isMap = (v: unknown): v is Plain => v !== null && typeof v === "object" && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** Whether a loaded object is a kustomization kustomize reads (not Flux's Kustomization object). */
export const isKustomization = (o: { kind: string; apiVersion: string; file: { path: string } }) =>
  o.kind === "Kustomization" && KUSTOMIZATION_FILE.test(o.file.path) && !/fluxcd/.test(o.apiVersion);

/** A reference kustomize fetches (a git repository, a URL): not a path of the input. */
export const isRemoteRef = (r: string) => /^[a-z]+:\/\/|^git@|^github\.com\/|\?ref=|\/\/.*\.git/.test(r);

/** `dir/rel`, normalised, with `/` separators. */
export const resolveRef = (dir: string, rel: string) => path.posix.normalize(path.posix.join(dir, rel));

/** The local paths (files or directories) the kustomization in `dir` names. Inline patches name none. */
export function kustomizationRefs(value: unknown, dir: string): string[] {
  if (!isMap(value)) return [];
  const refs = [...strings(value.resources), ...strings(value.bases), ...strings(value.components), ...strings(value.patchesStrategicMerge).filter((p) => !p.includes("\n"))];
  for (const field of ["patches", "patchesJson6902"]) {
    const list = value[field];
    if (Array.isArray(list)) for (const p of list) if (isMap(p) && typeof p.path === "string") refs.push(p.path);
  }
  return refs.filter((r) => !isRemoteRef(r)).map((r) => resolveRef(dir, r));
}
