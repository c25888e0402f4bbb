// Append-only byte storage under a segment or journal: memory for tests, a file for durability.

export interface ByteStore {
  /** Bytes appended so far, including those not yet written to disk. */
  readonly size: number;
  /** Queues `data` (one buffer or pieces, in order) at the end; resolves once it is durable (at once in memory). */
  append(data: Buffer | readonly Buffer[]): Promise<void>;
  /** Up to `length` bytes from `position`; shorter at the end of the data. */
  read(position: number, length: number): Buffer;
  /** Cuts the data back to `size` bytes (recovery of a torn tail). */
  truncate(size: number): void;
  /** Waits for queued writes, then releases the store. */
  close(): Promise<void>;
  /** Closes and deletes the backing storage. */
  remove(): Promise<void>;
}

/** Growable buffer; capacity doubles so appends stay amortised O(1). */
export class MemoryByteStore implements ByteStore {
  private data = Buffer.alloc(0);
  size = 0;

  append(data: Buffer | readonly Buffer[]): Promise<void> {
    const pieces = Buffer.isBuffer(data) ? [data] : data;
    const length = pieces.reduce((n, piece) => n + piece.length, 0);
    if (this.size + length > this.data.length) {
      const grown = Buffer.alloc(Math.max(this.size + length, this.data.length * 2, 4096));
      this.data.copy(grown, 0, 0, this.size);
      this.data = grown;
    }
    for (const piece of pieces) this.size += piece.copy(this.data, this.size);
    return Promise.resolve();
  }

  read(position: number, length: number): Buffer {
    const end = Math.min(this.size, position + length);
    return Buffer.from(this.data.subarray(position, Math.max(position, end)));
  }

  truncate(size: number): void {
    this.size = Math.min(this.size, size);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  remove(): Promise<void> {
    this.data = Buffer.alloc(0);
    this.size = 0;
    return Promise.resolve();
  }
}
