import { MalformedFrameError } from "../protocol/reader";

/** Empty frames are refused here; short ones fail header decoding (a bare SASL token may be 3 bytes). */
const MIN_FRAME = 1;

/**
 * Cuts a TCP byte stream into size-prefixed Kafka frames. Chunks are kept as received and
 * joined only when a whole frame is present.
 */
export class FrameSplitter {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /** Adds bytes and returns every complete frame (without its size prefix). */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    while (this.buffered >= 4) {
      const head = this.chunks[0].length >= 4 ? this.chunks[0] : this.join();
      const size = head.readInt32BE(0);
      if (size < MIN_FRAME || size > this.maxFrameBytes) {
        throw new MalformedFrameError(`frame size ${size} outside ${MIN_FRAME}..${this.maxFrameBytes}`);
      }
      if (this.buffered < 4 + size) break;
      const all = this.join();
      frames.push(all.subarray(4, 4 + size));
      const rest = all.subarray(4 + size);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
    }
    return frames;
  }

  private join(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0];
  }
}
