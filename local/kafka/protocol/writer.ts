/** Stored batches at least this large are sent as they are, not copied into the response. */
const SPLICE_MIN_BYTES = 4096;

/**
 * Growable encoder for Kafka's wire primitives. Large record batches (Fetch responses) are
 * not copied in: the output is then several buffers (`toBuffers`), written to the socket
 * one after another.
 */
export class Writer {
  private buf = Buffer.allocUnsafe(256);
  private length = 0;
  /** Finished output before `buf[start, length)`: encoded parts and spliced-in batches. */
  private readonly done: Buffer[] = [];
  private start = 0;

  /** Reserves n bytes and returns where they start; call before touching `this.buf`, which may move. */
  private room(n: number): number {
    if (this.length + n > this.buf.length) {
      // Parts already in `done` keep the old buffer's memory; only the open part moves.
      const open = this.length - this.start;
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, open + n));
      this.buf.copy(next, 0, this.start, this.length);
      this.buf = next;
      this.start = 0;
      this.length = open;
    }
    const at = this.length;
    this.length += n;
    return at;
  }

  int8(v: number): this {
    const at = this.room(1);
    this.buf.writeInt8(v, at);
    return this;
  }
  int16(v: number): this {
    const at = this.room(2);
    this.buf.writeInt16BE(v, at);
    return this;
  }
  int32(v: number): this {
    const at = this.room(4);
    this.buf.writeInt32BE(v, at);
    return this;
  }
  int64(v: bigint): this {
    const at = this.room(8);
    this.buf.writeBigInt64BE(v, at);
    return this;
  }
  boolean(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  uvarint(v: number): this {
    let rest = v >>> 0;
    while (rest > 0x7f) {
      const at = this.room(1);
      this.buf.writeUInt8((rest & 0x7f) | 0x80, at);
      rest >>>= 7;
    }
    const at = this.room(1);
    this.buf.writeUInt8(rest, at);
    return this;
  }
  varint(v: number): this {
    return this.uvarint((v << 1) ^ (v >> 31));
  }

  raw(b: Buffer): this {
    const at = this.room(b.length);
    b.copy(this.buf, at);
    return this;
  }
  string(s: string): this {
    return this.nullableString(s);
  }
  nullableString(s: string | null): this {
    if (s === null) return this.int16(-1);
    const b = Buffer.from(s, "utf8");
    return this.int16(b.length).raw(b);
  }
  compactString(s: string): this {
    return this.compactNullableString(s);
  }
  compactNullableString(s: string | null): this {
    if (s === null) return this.uvarint(0);
    const b = Buffer.from(s, "utf8");
    return this.uvarint(b.length + 1).raw(b);
  }
  bytes(b: Buffer): this {
    return this.int32(b.length).raw(b);
  }
  nullableBytes(b: Buffer | null): this {
    return b === null ? this.int32(-1) : this.bytes(b);
  }
  /** A RECORDS field made of stored batches, written back to back without re-encoding. */
  records(batches: readonly Buffer[]): this {
    this.int32(batches.reduce((n, b) => n + b.length, 0));
    for (const b of batches) {
      if (b.length < SPLICE_MIN_BYTES) {
        this.raw(b);
        continue;
      }
      if (this.length > this.start) this.done.push(this.buf.subarray(this.start, this.length));
      this.done.push(b);
      this.start = this.length;
    }
    return this;
  }

  array<T>(items: readonly T[], item: (w: Writer, v: T) => void): this {
    this.int32(items.length);
    for (const v of items) item(this, v);
    return this;
  }
  nullableArray<T>(items: readonly T[] | null, item: (w: Writer, v: T) => void): this {
    return items === null ? this.int32(-1) : this.array(items, item);
  }
  compactArray<T>(items: readonly T[], item: (w: Writer, v: T) => void): this {
    this.uvarint(items.length + 1);
    for (const v of items) item(this, v);
    return this;
  }
  /** No tagged fields are ever sent. */
  taggedFields(): this {
    return this.uvarint(0);
  }

  /** Everything written, in order, as the buffers it is made of (no copy). */
  toBuffers(): Buffer[] {
    const open = this.buf.subarray(this.start, this.length);
    return open.length > 0 || this.done.length === 0 ? [...this.done, open] : [...this.done];
  }

  /** Everything written as one buffer (a copy when batches were spliced in). */
  toBuffer(): Buffer {
    return this.done.length === 0 ? this.buf.subarray(0, this.length) : Buffer.concat(this.toBuffers());
  }
}
