/** Thrown when a frame does not decode; the connection that sent it is closed. */
export class MalformedFrameError extends Error {
  override name = "MalformedFrameError";
}

const EMPTY = Buffer.alloc(0);

/**
 * Sequential decoder for Kafka's wire primitives over one frame. The frame may be one buffer
 * or the socket chunks it arrived in: a small field that straddles two chunks is joined (a
 * copy of just its bytes), while `rawPieces` hands a large field such as a Produce request's
 * records over as slices of the chunks, never copying it.
 */
export class Reader {
  /** Position in `buf`, the piece being read. */
  offset = 0;
  private buf: Buffer;
  /** The frame's pieces (a copy of the list: a straddling read replaces one by its rest). */
  private readonly pieces: Buffer[];
  /** Index in `pieces` of the piece after `buf`. */
  private next: number;
  /** Bytes in `pieces` from `next` on. */
  private piecesLeft = 0;

  constructor(frame: Buffer | readonly Buffer[]) {
    if (Buffer.isBuffer(frame)) {
      this.buf = frame;
      this.pieces = [];
      this.next = 0;
    } else {
      this.buf = frame[0] ?? EMPTY;
      this.pieces = [...frame];
      this.next = 1;
      for (let i = 1; i < frame.length; i++) this.piecesLeft += frame[i].length;
    }
  }

  get remaining(): number {
    return this.buf.length - this.offset + this.piecesLeft;
  }

  private truncated(n: number): MalformedFrameError {
    return new MalformedFrameError(`frame truncated: need ${n} bytes, ${this.remaining} left`);
  }

  private take(n: number): number {
    if (n >= 0 && this.offset + n <= this.buf.length) {
      const at = this.offset;
      this.offset += n;
      return at;
    }
    if (n < 0 || n > this.remaining) throw this.truncated(n);
    // Past the end of this piece: move on to the next one.
    while (this.offset === this.buf.length && this.next < this.pieces.length) {
      this.buf = this.pieces[this.next++];
      this.offset = 0;
      this.piecesLeft -= this.buf.length;
    }
    if (this.offset + n <= this.buf.length) {
      this.offset += n;
      return this.offset - n;
    }
    // The n bytes straddle pieces: join just them (a small field), keeping the rest in place.
    const parts = [this.buf.subarray(this.offset)];
    let joined = parts[0].length;
    while (joined < n) {
      const piece = this.pieces[this.next];
      const k = Math.min(n - joined, piece.length);
      parts.push(piece.subarray(0, k));
      joined += k;
      this.piecesLeft -= k;
      if (k === piece.length) this.next++;
      else this.pieces[this.next] = piece.subarray(k);
    }
    this.buf = Buffer.concat(parts, n);
    this.offset = n;
    return 0;
  }

  // Each read takes its position first: take() may replace `buf` when a field straddles pieces.
  int8(): number {
    const at = this.take(1);
    return this.buf.readInt8(at);
  }
  int16(): number {
    const at = this.take(2);
    return this.buf.readInt16BE(at);
  }
  int32(): number {
    const at = this.take(4);
    return this.buf.readInt32BE(at);
  }
  int64(): bigint {
    const at = this.take(8);
    return this.buf.readBigInt64BE(at);
  }
  boolean(): boolean {
    return this.int8() !== 0;
  }

  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      const at = this.take(1);
      const byte = this.buf.readUInt8(at);
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
      const at = this.take(1);
      const byte = this.buf.readUInt8(at);
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
  /**
   * `length` bytes without copying: one buffer when they lie in one piece of the frame,
   * else the slices of the pieces they span, in order.
   */
  rawPieces(length: number): Buffer | Buffer[] {
    if (length >= 0 && this.offset + length <= this.buf.length) return this.raw(length);
    if (length < 0 || length > this.remaining) throw this.truncated(length);
    const out: Buffer[] = [];
    if (this.offset < this.buf.length) out.push(this.buf.subarray(this.offset));
    let need = length - (this.buf.length - this.offset);
    while (need > 0) {
      const piece = this.pieces[this.next++];
      this.piecesLeft -= piece.length;
      const n = Math.min(need, piece.length);
      out.push(n === piece.length ? piece : piece.subarray(0, n));
      this.buf = piece;
      this.offset = n;
      need -= n;
    }
    return out;
  }
  /** Nullable bytes as `rawPieces` gives them (a Produce request's records). */
  nullableBytesOrPieces(): Buffer | Buffer[] | null {
    const length = this.int32();
    return length < 0 ? null : this.rawPieces(length);
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
