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

/** A large fast-path mapping's lookups: where the last found key was, and the index once needed. */
interface KeyLookups {
  size: number;
  /** Whether no key repeats: then a key found anywhere is the first with it. */
  unique: boolean;
  /** Just after the last key found. */
  cursor: number;
  at: Map<string, number> | undefined;
}

const keyLookups = new WeakMap<readonly string[], KeyLookups>();

/**
 * keys.indexOf(key), for the key list of a fast-path mapping. `value` is the mapping's value (one
 * property per distinct key): given it, a mapping whose keys are all distinct is first searched
 * just after the last key found, since rules mostly look keys up in the file's order, then among
 * its first keys; the index is built only when both miss.
 */
export function firstKeyIndex(keys: readonly string[], key: string, value?: object): number {
  if (keys.length <= SCAN) return keys.indexOf(key);
  let look = keyLookups.get(keys);
  if (!look || look.size !== keys.length) {
    look = { size: keys.length, unique: value !== undefined && Object.keys(value).length === keys.length, cursor: 0, at: undefined };
    keyLookups.set(keys, look);
  }
  if (look.unique) {
    for (let i = look.cursor, end = Math.min(keys.length, look.cursor + SCAN); i < end; i++) {
      if (keys[i] === key) {
        look.cursor = i + 1;
        return i;
      }
    }
    // The first keys too (apiVersion, kind and the settings written first are looked up again and again).
    for (let i = 0, end = Math.min(look.cursor, SCAN); i < end; i++) if (keys[i] === key) return i;
  }
  if (!look.at) {
    const at = new Map<string, number>();
    for (let i = keys.length - 1; i >= 0; i--) at.set(keys[i]!, i);
    look.at = at;
  }
  const i = look.at.get(key) ?? -1;
  if (i >= 0) look.cursor = i + 1;
  return i;
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
