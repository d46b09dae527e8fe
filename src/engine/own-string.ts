/**
 * A string that holds only its own characters. A message built from a name read out of a file is,
 * in V8, a chain of pieces or a slice that keeps the whole file's text alive; a finding outlives its
 * file (a fleet run keeps every cluster's findings while it releases the cluster), so what a finding
 * keeps is copied out once. Concatenating forces a flat copy, and the slice of it points into that
 * copy only (short strings are copied outright).
 */
export function ownString(s: string): string {
  return (s + " ").slice(0, -1);
}
