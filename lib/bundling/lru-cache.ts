/**
 * A least-recently-used cache with the part of mnemonist's `LRUCache` API that the SDK's DynamoDB
 * endpoint cache uses (`@aws-sdk/endpoint-cache`): it stands in for mnemonist in the Lambda bundles
 * (see `esbuild-plugins.ts`), since mnemonist and its helpers are CommonJS and weigh ~7 KB. A Map keeps
 * insertion order, so its first key is the least recently used one.
 */
export default class LRUCache<Key, Value> {
  private readonly entries = new Map<Key, Value>();

  constructor(readonly capacity: number) {}

  get size() {
    return this.entries.size;
  }

  /** The value, now the most recently used. */
  get(key: Key): Value | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as Value;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** The value, its recency unchanged. */
  peek(key: Key): Value | undefined {
    return this.entries.get(key);
  }

  has(key: Key): boolean {
    return this.entries.has(key);
  }

  /** Stores the value as the most recently used, evicting the least recently used beyond capacity. */
  set(key: Key, value: Value): this {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    return this;
  }

  clear(): void {
    this.entries.clear();
  }
}
