// Child for the crash test: appends to a durable log store (flush policy argv[3], "always"
// or "interval") until killed, printing one line per acknowledged append ("<partition> <seq>
// <offset>") and per acknowledged offset commit ("c <offset>"). Sequence numbers continue
// from what an earlier run left behind.
import { type FlushPolicy, openLogStore } from "../../../local/kafka/storage";
import { batchOf } from "./storage-fixtures";

const PARTITIONS = 3;
const IN_FLIGHT = 24;
const MAX_APPENDS = 200_000;

const [dataDir, flushMode] = process.argv.slice(2);
const flush: FlushPolicy =
  flushMode === "interval" ? { mode: "interval", intervalMs: 50 } : { mode: "always" };
const store = await openLogStore({ dataDir, defaults: { segmentBytes: 16 * 1024 }, flush });
if (!store.topic("crash")) await store.createTopic("crash", PARTITIONS);
const logs = Array.from({ length: PARTITIONS }, (_, p) => {
  const log = store.partition("crash", p);
  if (!log) throw new Error(`missing partition ${p}`);
  return log;
});
const nextSeq = logs.map((log) => Number(log.highWatermark) / 2);
process.stdout.write("ready\n");

let started = 0;
async function worker(): Promise<void> {
  while (started < MAX_APPENDS) {
    const p = started++ % PARTITIONS;
    const seq = nextSeq[p]++;
    const offset = await logs[p].append(await batchOf(`p${p}-n${seq}`, 2));
    process.stdout.write(`${p} ${seq} ${offset}\n`);
    if (p === 0) {
      await store.offsets.commit("g", "crash", 0, offset, null);
      process.stdout.write(`c ${offset}\n`);
    }
  }
}
await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
await store.close();
