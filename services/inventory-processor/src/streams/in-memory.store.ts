import type { KeyValueStore } from './processor';

export class InMemoryKeyValueStore<V> implements KeyValueStore<V> {
  private readonly map = new Map<string, V>();
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  put(key: string, value: V): void {
    this.map.set(key, value);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  entries(): IterableIterator<[string, V]> {
    return this.map.entries();
  }
  size(): number {
    return this.map.size;
  }
}
