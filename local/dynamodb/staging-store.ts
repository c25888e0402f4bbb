// A stand-in for dynalite's store that lets its own PutItem / UpdateItem / DeleteItem /
// GetItem actions run inside a transaction: the item they read is the one the transaction
// read under its locks, their locking is a no-op (the transaction holds the real locks),
// and what they would write (item and index entries) is collected instead, to be written
// with the transaction's other writes in one atomic LevelDB batch.
import {
  type Item,
  type ItemDb,
  indexLevelKey,
  itemLevelKey,
  type LevelOperation,
  type Store,
} from "./dynalite";

export type Snapshot = Map<string, Item | undefined>;

export function stagingStore(store: Store, snapshot: Snapshot, writes: LevelOperation[]): Store {
  const recorder = (levelKey: (key: string) => string): Pick<ItemDb, "put" | "del"> => ({
    put(key, value, cb) {
      writes.push({ type: "put", key: levelKey(key), value });
      cb(null);
    },
    del(key, cb) {
      writes.push({ type: "del", key: levelKey(key) });
      cb(null);
    },
  });
  return {
    options: store.options,
    db: store.db,
    // dynalite's actions call it with two arguments; passed through as they come.
    getTable: store.getTable,
    getItemDb: (tableName) => ({
      lock: (_keys, exec) => exec((done) => done),
      get: (key, cb) => cb(null, snapshot.get(itemLevelKey(tableName, key))),
      ...recorder((key) => itemLevelKey(tableName, key)),
    }),
    getIndexDb: (indexType, tableName, indexName) =>
      recorder((key) => indexLevelKey(indexType, tableName, indexName, key)),
  };
}
