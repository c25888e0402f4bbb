import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileByteStore } from "../../../local/kafka/storage/file-byte-store";
import { type Flushable, GroupCommit } from "../../../local/kafka/storage/group-commit";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

class CountingFlushable implements Flushable {
  flushes = 0;
  async flushQueued(): Promise<undefined> {
    this.flushes++;
    return undefined;
  }
}

/** Written at once; durable when the test says so. */
class SlowSync implements Flushable {
  writes = 0;
  readonly syncs: (() => void)[] = [];
  async flushQueued() {
    this.writes++;
    return { durable: new Promise<void>((resolve) => this.syncs.push(resolve)) };
  }
}

describe("group commit", () => {
  it("flushes everything queued in one turn with one cycle per target", async () => {
    const commits = new GroupCommit();
    const a = new CountingFlushable();
    const b = new CountingFlushable();
    await Promise.all(Array.from({ length: 100 }, (_, i) => commits.enqueue(i % 2 ? a : b)));
    expect([a.flushes, b.flushes]).toEqual([1, 1]);
  });

  it("settles each target on its own", async () => {
    const commits = new GroupCommit();
    const healthy = new CountingFlushable();
    const broken: Flushable = { flushQueued: () => Promise.reject(new Error("EIO")) };
    const [ok, failed] = await Promise.allSettled([commits.enqueue(healthy), commits.enqueue(broken)]);
    expect(ok.status).toBe("fulfilled");
    expect(failed).toMatchObject({ status: "rejected", reason: { message: "EIO" } });
  });

  it("writes the next cycle while the previous one syncs, and settles each when durable", async () => {
    const commits = new GroupCommit();
    const file = new SlowSync();
    const first = commits.enqueue(file);
    let firstDone = false;
    void first.then(() => {
      firstDone = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const second = commits.enqueue(file);
    await new Promise((resolve) => setImmediate(resolve));
    // Cycle 2 was written although cycle 1 is not durable yet.
    expect([file.writes, file.syncs.length, firstDone]).toEqual([2, 2, false]);
    file.syncs[0]();
    await first;
    file.syncs[1]();
    await second;
  });

  it("fails an append whose sync fails", async () => {
    const commits = new GroupCommit();
    const broken: Flushable = {
      flushQueued: async () => ({ durable: Promise.reject(new Error("EIO on fsync")) }),
    };
    await expect(commits.enqueue(broken)).rejects.toThrow("EIO on fsync");
  });

  it("runs work queued during a cycle in the next one", async () => {
    const commits = new GroupCommit();
    const a = new CountingFlushable();
    const first = commits.enqueue(a);
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([first, commits.enqueue(a), commits.enqueue(a)]);
    expect(a.flushes).toBe(2);
  });
});

describe("file byte store", () => {
  it("appends at the end, reads back positionally and continues after reopening", async () => {
    const dir = await mkdtemp(join(tmpdir(), "payrail-kafka-bytes-"));
    dirs.push(dir);
    const commits = new GroupCommit();
    const path = join(dir, "data.bin");
    const store = new FileByteStore(path, commits, { durable: true, create: true });
    await Promise.all([store.append(Buffer.from("hello ")), store.append(Buffer.from("world"))]);
    expect(store.read(6, 100).toString()).toBe("world");
    await store.close();
    await expect(store.append(Buffer.from("late"))).rejects.toThrow(/closed/);

    const again = new FileByteStore(path, commits, { durable: true, create: false });
    expect(again.size).toBe(11);
    await again.append(Buffer.from("!"));
    await again.close();
    expect(await readFile(path, "utf8")).toBe("hello world!");
  });

  it("joins sync requests made while a sync waits to start, and syncs again for later writes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "payrail-kafka-bytes-"));
    dirs.push(dir);
    const store = new FileByteStore(join(dir, "s.bin"), new GroupCommit(), { durable: true, create: true });
    const first = store.sync();
    expect(store.sync()).toBe(first);
    await first;
    const later = store.sync();
    expect(later).not.toBe(first);
    await later;
    await store.close();
  });

  it("stops accepting appends after a failed write (disk full)", async () => {
    const commits = new GroupCommit();
    const full = new FileByteStore("/dev/full", commits, { durable: false, create: false });
    const failure = await full.append(Buffer.alloc(64)).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "ENOSPC" });
    // Refused at once with the same error, without another write being attempted.
    await expect(full.append(Buffer.alloc(1))).rejects.toBe(failure);
    await full.close();
  });
});
