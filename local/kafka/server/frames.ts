import { MalformedFrameError } from "../protocol/reader";

/** Empty frames are refused here; short ones fail header decoding (a bare SASL token may be 3 bytes). */
const MIN_FRAME = 1;

/**
 * A frame as the socket delivered it: slices of the received chunks, in order, never empty.
 * A frame that arrived in one chunk is one piece.
 */
export type Frame = Buffer[];

/** One buffer holding the frame (a copy only when it spans chunks). */
export const joinFrame = (frame: Frame): Buffer => (frame.length === 1 ? frame[0] : Buffer.concat(frame));

/**
 * Cuts a TCP byte stream into size-prefixed Kafka frames. Chunks are kept as received and a
 * frame is handed on as slices of them, so the bytes of a large Produce request are never
 * copied on their way to the log.
 */
export class FrameSplitter {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /** Adds bytes and returns every complete frame (without its size prefix). */
  push(chunk: Buffer): Frame[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Frame[] = [];
    while (this.buffered >= 4) {
      // The size prefix itself may straddle chunks (then joining a few bytes' worth is cheap).
      if (this.chunks[0].length < 4) this.joinHead();
      const size = this.chunks[0].readInt32BE(0);
      if (size < MIN_FRAME || size > this.maxFrameBytes) {
        throw new MalformedFrameError(`frame size ${size} outside ${MIN_FRAME}..${this.maxFrameBytes}`);
      }
      if (this.buffered < 4 + size) break;
      const frame = this.take(4 + size);
      frame[0] = frame[0].subarray(4);
      if (frame[0].length === 0) frame.shift();
      frames.push(frame);
    }
    return frames;
  }

  /** Joins leading chunks until the first holds at least 4 bytes. */
  private joinHead(): void {
    let n = 0;
    let length = 0;
    while (length < 4) length += this.chunks[n++].length;
    this.chunks.splice(0, n, Buffer.concat(this.chunks.slice(0, n), length));
  }

  /** The next n buffered bytes as slices of the chunks holding them. */
  private take(n: number): Buffer[] {
    const out: Buffer[] = [];
    let used = 0;
    let need = n;
    while (need > 0) {
      const chunk = this.chunks[used];
      if (chunk.length <= need) {
        out.push(chunk);
        need -= chunk.length;
        used++;
      } else {
        out.push(chunk.subarray(0, need));
        this.chunks[used] = chunk.subarray(need);
        need = 0;
      }
    }
    this.chunks.splice(0, used);
    this.buffered -= n;
    return out;
  }
}
