// Holds dynalite's own per-item locks on a set of items (the same locks its PutItem /
// UpdateItem / DeleteItem take) while `work` runs. The locks of one table are queued in
// one call, and tables are taken in name order, so two transactions never wait on each
// other in a cycle.
import { call, type Item, type Store } from "./dynalite";

export type LockedItem = { tableName: string; key: string };

function lockTable(store: Store, tableName: string, keys: string[]): Promise<() => void> {
  return new Promise((resolve) =>
    // The lock library never grants an array that names one key twice.
    store.getItemDb(tableName).lock([...new Set(keys)], (release) => {
      resolve(release(() => undefined));
    }),
  );
}

/** `read(item)` gives the item as stored while the locks are held (undefined if absent). */
export async function holdingItemLocks<T>(
  store: Store,
  items: readonly LockedItem[],
  work: (read: (item: LockedItem) => Promise<Item | undefined>) => Promise<T>,
): Promise<T> {
  const byTable = new Map<string, string[]>();
  for (const { tableName, key } of items) byTable.set(tableName, [...(byTable.get(tableName) ?? []), key]);
  const releases: (() => void)[] = [];
  try {
    for (const tableName of [...byTable.keys()].sort())
      releases.push(await lockTable(store, tableName, byTable.get(tableName) ?? []));
    return await work(({ tableName, key }) =>
      call<Item | undefined>((cb) => store.getItemDb(tableName).get(key, cb)).catch((error: Error) => {
        if (error.name === "NotFoundError") return undefined;
        throw error;
      }),
    );
  } finally {
    for (const release of releases) release();
  }
}
