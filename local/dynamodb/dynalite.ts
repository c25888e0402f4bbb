// Typed access to the parts of dynalite (pinned at 4.0.0) the transaction layer reuses:
// its store (LevelDB, per-table item locks), its request validations (which parse the
// expressions) and its item actions. dynalite exports only its server factory, so the
// store is captured while the server is created.
import type { Server } from "node:http";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export type AttributeMap = Record<string, Record<string, unknown>>;
export type Item = AttributeMap;

/** The error shape dynalite's callbacks carry: an HTTP status and the JSON body to send. */
export type DynaliteError = Error & { statusCode?: number; body?: { __type: string; message?: string } };
type Callback<T> = (error: DynaliteError | null, result?: T) => void;

export type TableDescription = {
  TableName: string;
  KeySchema: { AttributeName: string; KeyType: string }[];
};

type Release = (done: (...args: unknown[]) => void) => (...args: unknown[]) => void;

export type ItemDb = {
  /** Runs `exec` once every key is free; keys queued in one call cannot deadlock each other. */
  lock(keys: string | string[], exec: (release: Release) => void): void;
  get(key: string, cb: Callback<Item | undefined>): void;
  put(key: string, item: Item, cb: Callback<void>): void;
  del(key: string, cb: Callback<void>): void;
};

export type IndexDb = Pick<ItemDb, "put" | "del">;

export type LevelOperation = { type: "put"; key: string; value: Item } | { type: "del"; key: string };

export type Store = {
  options: { maxItemSize: number };
  db: { batch(operations: LevelOperation[], cb: Callback<void>): void };
  /** With `checkStatus`, a table still CREATING or DELETING is not found either. */
  getTable(name: string, checkStatus: boolean, cb: Callback<TableDescription>): void;
  getItemDb(name: string): ItemDb;
  getIndexDb(indexType: string, tableName: string, indexName: string): IndexDb;
};

/** A request after dynalite's validation: the expressions are parsed into `_condition` etc. */
export type ValidatedRequest = Record<string, unknown>;

type Validation = {
  types: Record<string, unknown>;
  custom?: (data: ValidatedRequest, store: Store) => unknown;
};

type DynaliteDb = {
  create(options: object): Store;
  createKey(item: Item, table: TableDescription): string;
  validateKey(key: Item, table: TableDescription): DynaliteError | null | undefined;
  validateItem(item: Item, table: TableDescription): DynaliteError | null | undefined;
  checkConditional(data: ValidatedRequest, existing: Item | undefined): DynaliteError | null | undefined;
  validationError(message: string): DynaliteError;
};

export const dynaliteDb = require("dynalite/db") as DynaliteDb;

const validations = require("dynalite/validations") as {
  checkTypes(data: unknown, types: Validation["types"]): ValidatedRequest;
  checkValidations(
    data: ValidatedRequest,
    types: Validation["types"],
    custom: Validation["custom"],
    store: Store,
  ): void;
};

export type ItemOperation = "putItem" | "updateItem" | "deleteItem" | "getItem";

/** Checks and parses one item request exactly as dynalite does for the operation; throws its ValidationException. */
export function validated(operation: ItemOperation, request: unknown, store: Store): ValidatedRequest {
  const rules = require(`dynalite/validations/${operation}`) as Validation;
  const data = validations.checkTypes(structuredClone(request), rules.types);
  validations.checkValidations(data, rules.types, rules.custom, store);
  return data;
}

export type ItemAction = (
  store: Store,
  data: ValidatedRequest,
  cb: Callback<Record<string, unknown>>,
) => void;

export const itemAction = (operation: ItemOperation): ItemAction =>
  require(`dynalite/actions/${operation}`) as ItemAction;

/** Where dynalite keeps an item / an index entry in its one LevelDB (db/index.js getSubDb). */
export const itemLevelKey = (tableName: string, key: string) => `item-${tableName}~${key}`;
export const indexLevelKey = (indexType: string, tableName: string, indexName: string, key: string) =>
  `index-${indexType.toLowerCase()}~${tableName}~${indexName}~${key}`;

type DynaliteOptions = {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
};

/** A dynalite server and the store it serves. */
export function createDynalite(options: DynaliteOptions): { server: Server; store: Store } {
  const dynalite = require("dynalite") as (options: DynaliteOptions) => Server;
  const create = dynaliteDb.create;
  let store: Store | undefined;
  dynaliteDb.create = (storeOptions) => {
    store = create(storeOptions);
    return store;
  };
  try {
    const server = dynalite(options);
    if (!store) throw new Error("dynalite created no store: its version no longer matches local/dynamodb");
    return { server, store };
  } finally {
    dynaliteDb.create = create;
  }
}

/** Calls a callback-style dynalite function as a promise. */
export function call<T>(run: (cb: Callback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    run((error, result) => (error ? reject(error) : resolve(result as T))),
  );
}
