// TransactGetItems on dynalite's store: up to 100 Gets read under the items' locks, so
// the answer is one snapshot: no transaction (nor single-item write) is half in it.
import {
  call,
  dynaliteDb,
  itemAction,
  itemLevelKey,
  type Store,
  type TableDescription,
  type ValidatedRequest,
  validated,
} from "./dynalite";
import { transactItems, validationError } from "./errors";
import { holdingItemLocks, type LockedItem } from "./item-locks";
import { stagingStore } from "./staging-store";

const MAX_GETS = 100;

export type TransactGetRequest = { TransactItems?: unknown };

export async function transactGetItems(store: Store, request: TransactGetRequest): Promise<object> {
  const items = transactItems(request.TransactItems, MAX_GETS);
  const gets: { data: ValidatedRequest; locked: LockedItem }[] = [];
  for (const entry of items as { Get?: unknown }[]) {
    if (entry?.Get == null) throw validationError("TransactItems can only contain Get");
    // GetItem's validation parses the ProjectionExpression as GetItem does.
    const data = validated("getItem", entry.Get, store);
    const table = await call<TableDescription>((cb) => store.getTable(String(data.TableName), true, cb));
    const invalid = dynaliteDb.validateKey(data.Key as never, table);
    if (invalid) throw invalid;
    const locked: LockedItem = {
      tableName: table.TableName,
      key: dynaliteDb.createKey(data.Key as never, table),
    };
    if (gets.some((other) => other.locked.tableName === locked.tableName && other.locked.key === locked.key))
      throw validationError("Transaction request cannot include multiple operations on one item");
    gets.push({ data, locked });
  }
  const responses = await holdingItemLocks(
    store,
    gets.map((get) => get.locked),
    async (read) => {
      const answers: object[] = [];
      for (const { data, locked } of gets) {
        const snapshot = new Map([[itemLevelKey(locked.tableName, locked.key), await read(locked)]]);
        const { Item } = await call<{ Item?: object }>((cb) =>
          itemAction("getItem")(stagingStore(store, snapshot, []), data, cb),
        );
        answers.push(Item ? { Item } : {});
      }
      return answers;
    },
  );
  return { Responses: responses };
}
