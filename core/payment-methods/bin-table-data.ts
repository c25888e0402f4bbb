// The BIN table every card is looked up in. Its rows are public test card ranges (a sandbox
// table, each row with its source); a production deployment ships its licensed BIN data in
// the same file. Validated once, when first imported.
import document from "./bin-ranges.json";
import { type BinTable, parseBinTable } from "./bin-table";

export const BIN_TABLE_FILE = "core/payment-methods/bin-ranges.json";

export const BIN_TABLE: BinTable = parseBinTable(document, BIN_TABLE_FILE);
