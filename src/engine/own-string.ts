/**
 * A string that holds only its own characters. A message built from a name read out of a file is,
 * in V8, a chain of pieces or a slice that keeps the whole file's text alive; a finding outlives its
 * file (a fleet run keeps every cluster's findings while it releases the cluster), so what a finding
 * keeps is copied out once.
 *
 * Joining two pieces writes one flat string of its own: one object, where the slice of a
 * concatenation (as this was) kept two, the copy and a slice header pointing into it. Every object a
 * finding keeps is copied by each young-generation collection it survives: with 300,000 findings in
 * one file, each object per finding cost about 0.1 s.
 */
export function ownString(s: string): string {
  return [s.slice(0, 1), s.slice(1)].join("");
}
