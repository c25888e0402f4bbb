// TransactWriteItems on dynalite's store, as DynamoDB does it: up to 100 Put / Update /
// Delete / ConditionCheck actions on distinct items, all applied or none.
//
// Each action is validated and parsed by dynalite's own validation for the matching item
// operation, and run by dynalite's own action (expressions, conditions, index upkeep) on
// a staging store (./staging-store). The items are locked with dynalite's per-item locks
// for the whole transaction, so no other write (single-item or transactional) interleaves;
// the writes land in one LevelDB batch, so a reader or a crash sees all or nothing.
import {
  call,
  type DynaliteError,
  dynaliteDb,
  type Item,
  itemAction,
  itemLevelKey,
  type LevelOperation,
  type Store,
  type TableDescription,
  type ValidatedRequest,
  validated,
} from "./dynalite";
import {
  type CancellationReason,
  reasonFor,
  transactItems,
  transactionCanceled,
  validationError,
} from "./errors";
import { holdingItemLocks, type LockedItem } from "./item-locks";
import { stagingStore } from "./staging-store";

const MAX_ACTIONS = 100;

type Kind = "Put" | "Update" | "Delete" | "ConditionCheck";
const KINDS: readonly Kind[] = ["Put", "Update", "Delete", "ConditionCheck"];
const OPERATION = {
  Put: "putItem",
  Update: "updateItem",
  Delete: "deleteItem",
  ConditionCheck: "deleteItem",
} as const;

type Action = LockedItem & {
  kind: Kind;
  data: ValidatedRequest;
  returnOldOnFailure: boolean;
};

export type TransactWriteRequest = { TransactItems?: unknown; ClientRequestToken?: unknown };

/** Validates the request whole, before anything is locked; throws DynamoDB's ValidationException. */
async function parse(store: Store, request: TransactWriteRequest): Promise<Action[]> {
  const items = transactItems(request.TransactItems, MAX_ACTIONS);
  const actions: Action[] = [];
  for (const entry of items as Record<string, unknown>[]) {
    const kinds = KINDS.filter((kind) => entry?.[kind] != null);
    const kind = kinds[0];
    if (kinds.length !== 1 || !kind)
      throw validationError("TransactItems can only contain one of Check, Put, Update or Delete");
    const input = entry[kind] as Record<string, unknown>;
    if (kind === "ConditionCheck" && !input.ConditionExpression)
      throw validationError("The ConditionExpression of a ConditionCheck is required");
    const data = validated(OPERATION[kind], input, store);
    const table = await call<TableDescription>((cb) => store.getTable(String(data.TableName), true, cb));
    const keyOf = (kind === "Put" ? data.Item : data.Key) as Item;
    const invalid =
      kind === "Put" ? dynaliteDb.validateItem(keyOf, table) : dynaliteDb.validateKey(keyOf, table);
    if (invalid) throw invalid;
    const key = dynaliteDb.createKey(keyOf, table);
    if (actions.some((other) => other.tableName === table.TableName && other.key === key))
      throw validationError("Transaction request cannot include multiple operations on one item");
    actions.push({
      kind,
      data,
      tableName: table.TableName,
      key,
      returnOldOnFailure: input.ReturnValuesOnConditionCheckFailure === "ALL_OLD",
    });
  }
  return actions;
}

/** Runs one action against the items read under the locks; its reason, and its writes into `writes`. */
async function stage(
  store: Store,
  action: Action,
  existing: Item | undefined,
  writes: LevelOperation[],
): Promise<CancellationReason> {
  const failed = (error: DynaliteError): CancellationReason => {
    const reason = reasonFor(error);
    return reason.Code === "ConditionalCheckFailed" && action.returnOldOnFailure && existing
      ? { ...reason, Item: existing }
      : reason;
  };
  if (action.kind === "ConditionCheck") {
    const invalid = dynaliteDb.checkConditional(action.data, existing);
    return invalid ? failed(invalid) : { Code: "None" };
  }
  const snapshot = new Map([[itemLevelKey(action.tableName, action.key), existing]]);
  const own: LevelOperation[] = [];
  try {
    await call((cb) =>
      itemAction(OPERATION[action.kind])(stagingStore(store, snapshot, own), { ...action.data }, cb),
    );
  } catch (error) {
    return failed(error as DynaliteError);
  }
  writes.push(...own);
  return { Code: "None" };
}

/** Applies the transaction or throws TransactionCanceledException / ValidationException. */
export async function transactWriteItems(store: Store, request: TransactWriteRequest): Promise<object> {
  const actions = await parse(store, request);
  await holdingItemLocks(store, actions, async (read) => {
    const writes: LevelOperation[] = [];
    const reasons: CancellationReason[] = [];
    for (const action of actions) reasons.push(await stage(store, action, await read(action), writes));
    if (reasons.some((reason) => reason.Code !== "None")) throw transactionCanceled(reasons);
    await call<void>((cb) => store.db.batch(writes, cb));
  });
  return {};
}
