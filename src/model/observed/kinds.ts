/**
 * Kinds kept only as items of a List: Events are observed state, in snapshots (EventList files of a
 * dump or a support bundle, collect's events.yaml), and never configuration. A single Event
 * document in a repository is not read: the cheap scan still skips it.
 */
const OBSERVED_LIST_KINDS = new Set(["Event"]);

export function isObservedListKind(kind: string): boolean {
  return OBSERVED_LIST_KINDS.has(kind);
}
