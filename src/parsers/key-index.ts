/**
 * The first pair of a mapping with a given key, as a linear find() gives it, in constant time for
 * large mappings: the index is built on the first lookup (last pair first, so the first pair of a
 * repeated key wins) and kept beside the mapping. One finding per key of a file of 300,000 keys
 * would otherwise scan the mapping once per finding. Mappings are complete when they are looked up
 * (parsing is over); an index whose mapping has grown since is built again.
 */

/** Mappings this small are scanned: an index would cost more than it saves. */
const SCAN = 16;

interface Index<T> {
  size: number;
  at: Map<string, T>;
}

const keyIndexes = new WeakMap<readonly string[], Index<number>>();

/** keys.indexOf(key), for the key list of a fast-path mapping. */
export function firstKeyIndex(keys: readonly string[], key: string): number {
  if (keys.length <= SCAN) return keys.indexOf(key);
  let index = keyIndexes.get(keys);
  if (!index || index.size !== keys.length) {
    const at = new Map<string, number>();
    for (let i = keys.length - 1; i >= 0; i--) at.set(keys[i]!, i);
    keyIndexes.set(keys, (index = { size: keys.length, at }));
  }
  return index.at.get(key) ?? -1;
}

const pairIndexes = new WeakMap<object, Index<unknown>>();

/**
 * items.find((p) => keyOf(p) === key), for the items of a YAML library mapping; keyOf gives
 * undefined for an item that is not a pair with a scalar key.
 */
export function firstPairWithKey<P>(map: object, items: readonly P[], key: string, keyOf: (item: P) => string | undefined): P | undefined {
  if (items.length <= SCAN) return items.find((p) => keyOf(p) === key);
  let index = pairIndexes.get(map) as Index<P> | undefined;
  if (!index || index.size !== items.length) {
    const at = new Map<string, P>();
    for (let i = items.length - 1; i >= 0; i--) {
      const k = keyOf(items[i]!);
      if (k !== undefined) at.set(k, items[i]!);
    }
    pairIndexes.set(map, (index = { size: items.length, at }));
  }
  return index.at.get(key);
}
