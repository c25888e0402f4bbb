// A file written only at its end through the group commit; reads are positional and
// synchronous (the data is in the page cache right after it was written). Durable files
// are fdatasynced when the group commit's sync schedule says so.
import {
  closeSync,
  fdatasync,
  fstatSync,
  fsync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  rm,
  writev,
} from "node:fs";
import { dirname } from "node:path";
import { promisify } from "node:util";
import type { ByteStore } from "./byte-store";
import type { Flushable, GroupCommit } from "./group-commit";
import type { Syncable } from "./sync-schedule";

const writevAsync = promisify(writev);
const fdatasyncAsync = promisify(fdatasync);
const fsyncAsync = promisify(fsync);
const rmAsync = promisify(rm);

export type FileByteStoreOptions = {
  /** false for rebuildable files (indexes): written with each cycle but never synced. */
  durable: boolean;
  /** true to start a fresh file (truncating any leftover), false to continue an existing one. */
  create: boolean;
};

export class FileByteStore implements ByteStore, Flushable, Syncable {
  private readonly fd: number;
  private queued: Buffer[] = [];
  private written: number;
  private lastCycle: Promise<void> = Promise.resolve();
  /** Syncs run one after another, and the descriptor is closed only after the last. */
  private lastSync: Promise<void> = Promise.resolve();
  /** The last sync while it waits for the one before it to finish (not started yet). */
  private waitingSync: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  /** After a failed write or fsync the file's state is unknown: refuse all further appends. */
  private failure: unknown;
  /** A created file is only durable once its directory entry is. */
  private newEntry: boolean;
  size: number;

  constructor(
    private readonly path: string,
    private readonly commits: GroupCommit,
    private readonly options: FileByteStoreOptions,
  ) {
    this.fd = openSync(path, options.create ? "w+" : "r+");
    this.size = options.create ? 0 : fstatSync(this.fd).size;
    this.newEntry = options.create;
    this.written = this.size;
  }

  append(data: Buffer | readonly Buffer[]): Promise<void> {
    // After close the descriptor number may already belong to another file.
    if (this.closing) return Promise.reject(new Error(`${this.path} is closed`));
    if (this.failure) return Promise.reject(this.failure);
    // Pieces go to writev as they are: a produced batch is never joined into one buffer.
    for (const piece of Buffer.isBuffer(data) ? [data] : data) {
      this.queued.push(piece);
      this.size += piece.length;
    }
    this.lastCycle = this.commits.enqueue(this);
    return this.lastCycle;
  }

  async flushQueued(): Promise<{ durable: Promise<void> } | undefined> {
    const chunks = this.queued;
    this.queued = [];
    try {
      if (chunks.length > 0) {
        const { bytesWritten } = await writevAsync(this.fd, chunks, this.written);
        this.written += bytesWritten;
      }
    } catch (error) {
      this.failure ??= error;
      throw error;
    }
    // The sync is not awaited here: the next cycle may write while it runs.
    return this.options.durable ? { durable: this.commits.syncs.written(this) } : undefined;
  }

  /**
   * fdatasyncs everything written so far. Syncs run one after another; a call made while
   * one is waiting to start joins it (it will cover this write too), so a burst of cycles
   * costs one fdatasync per sync actually needed, not one each.
   */
  sync(): Promise<void> {
    if (this.waitingSync) return this.waitingSync;
    const next = this.lastSync.then(async () => {
      // From here on, writes completing are not covered: they need the next sync.
      this.waitingSync = undefined;
      if (this.failure) throw this.failure;
      try {
        await fdatasyncAsync(this.fd);
        if (this.newEntry) {
          await syncDirectory(dirname(this.path));
          this.newEntry = false;
        }
      } catch (error) {
        this.failure ??= error;
        throw error;
      }
    });
    this.waitingSync = next;
    this.lastSync = next;
    return next;
  }

  read(position: number, length: number): Buffer {
    if (this.closing) throw new Error(`${this.path} is closed`);
    const end = Math.min(this.written, position + length);
    if (end <= position) return Buffer.alloc(0);
    const buf = Buffer.allocUnsafe(end - position);
    const n = readSync(this.fd, buf, 0, buf.length, position);
    return n === buf.length ? buf : buf.subarray(0, n);
  }

  /** Only while opening, before anything is queued. */
  truncate(size: number): void {
    if (this.queued.length > 0) throw new Error("cannot truncate with writes queued");
    ftruncateSync(this.fd, size);
    fsyncSync(this.fd);
    this.size = Math.min(this.size, size);
    this.written = this.size;
  }

  /** Idempotent: a segment seals its index files on roll and closes them again later. */
  close(): Promise<void> {
    this.closing ??= this.lastCycle
      .catch(() => {})
      .then(() => (this.options.durable ? this.commits.syncs.release(this) : undefined))
      .catch(() => {})
      .then(() => this.lastSync.catch(() => {}))
      .then(() => closeSync(this.fd));
    return this.closing;
  }

  async remove(): Promise<void> {
    await this.close();
    await rmAsync(this.path, { force: true });
  }
}

/** Makes a directory entry change (create, rename, unlink) durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const fd = openSync(dir, "r");
  try {
    await fsyncAsync(fd);
  } finally {
    closeSync(fd);
  }
}
