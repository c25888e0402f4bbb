/** Thrown when a frame does not decode; the connection that sent it is closed. */
export class MalformedFrameError extends Error {
  override name = "MalformedFrameError";
}

/** Sequential decoder for Kafka's wire primitives over one frame. */
export class Reader {
  offset = 0;
  constructor(readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  private take(n: number): number {
    if (n < 0 || this.offset + n > this.buf.length) {
      throw new MalformedFrameError(
        `frame truncated: need ${n} bytes at ${this.offset} of ${this.buf.length}`,
      );
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.take(1));
  }
  int16(): number {
    return this.buf.readInt16BE(this.take(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.take(4));
  }
  int64(): bigint {
    return this.buf.readBigInt64BE(this.take(8));
  }
  boolean(): boolean {
    return this.int8() !== 0;
  }

  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      const byte = this.buf.readUInt8(this.take(1));
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
    }
    throw new MalformedFrameError("varint longer than 5 bytes");
  }
  /** Zig-zag signed varint (record fields). */
  varint(): number {
    const raw = this.uvarint();
    return (raw >>> 1) ^ -(raw & 1);
  }
  varlong(): bigint {
    let raw = 0n;
    for (let shift = 0n; shift <= 63n; shift += 7n) {
      const byte = this.buf.readUInt8(this.take(1));
      raw |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return (raw >> 1n) ^ -(raw & 1n);
    }
    throw new MalformedFrameError("varlong longer than 10 bytes");
  }

  private text(length: number): string {
    const at = this.take(length);
    return this.buf.toString("utf8", at, at + length);
  }
  string(): string {
    const s = this.nullableString();
    if (s === null) throw new MalformedFrameError("null where a string is required");
    return s;
  }
  nullableString(): string | null {
    const length = this.int16();
    return length < 0 ? null : this.text(length);
  }
  compactString(): string {
    const s = this.compactNullableString();
    if (s === null) throw new MalformedFrameError("null where a compact string is required");
    return s;
  }
  compactNullableString(): string | null {
    const length = this.uvarint() - 1;
    return length < 0 ? null : this.text(length);
  }

  raw(length: number): Buffer {
    const at = this.take(length);
    return this.buf.subarray(at, at + length);
  }
  nullableBytes(): Buffer | null {
    const length = this.int32();
    return length < 0 ? null : this.raw(length);
  }
  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }
  compactBytes(): Buffer {
    const length = this.uvarint() - 1;
    return length < 0 ? Buffer.alloc(0) : this.raw(length);
  }

  private count(n: number): number {
    // Every element takes at least one byte, so a larger count is a lie we refuse early.
    if (n > this.remaining) throw new MalformedFrameError(`array count ${n} exceeds frame`);
    return n;
  }
  array<T>(item: (r: Reader) => T): T[] {
    return this.nullableArray(item) ?? [];
  }
  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n < 0) return null;
    return Array.from({ length: this.count(n) }, () => item(this));
  }
  compactArray<T>(item: (r: Reader) => T): T[] {
    const n = this.uvarint() - 1;
    if (n < 0) return [];
    return Array.from({ length: this.count(n) }, () => item(this));
  }
  /** Tagged fields: none are understood yet, so each is skipped. */
  taggedFields(): void {
    const n = this.count(this.uvarint());
    for (let i = 0; i < n; i++) {
      this.uvarint();
      this.raw(this.uvarint());
    }
  }
}
