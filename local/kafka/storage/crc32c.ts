// CRC-32C (Castagnoli), as Kafka record batches use. Slicing-by-8 tables keep the
// recovery scan of a segment tail well above disk speed without a native dependency.

const POLY = 0x82f63b78;
const TABLES = buildTables();
const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

// Int32 tables and signed arithmetic keep every intermediate a small integer for V8;
// unsigned (>>> 0) values above 2^31 would be boxed as doubles and run several times slower.
function buildTables(): Int32Array[] {
  const tables = Array.from({ length: 8 }, () => new Int32Array(256));
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    tables[0][i] = c;
  }
  for (let i = 0; i < 256; i++) {
    for (let t = 1; t < 8; t++) {
      const prev = tables[t - 1][i];
      tables[t][i] = tables[0][prev & 0xff] ^ (prev >>> 8);
    }
  }
  return tables;
}

export function crc32c(data: Uint8Array, start = 0, end = data.length): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES;
  let crc = -1;
  let i = start;
  // Bytes one at a time up to a 4-byte boundary, then two little-endian words per step.
  for (; i < end && (data.byteOffset + i) % 4 !== 0; i++) crc = t0[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  const words = (end - i) >>> 3;
  if (words > 0 && IS_LITTLE_ENDIAN) {
    const view = new Int32Array(data.buffer, data.byteOffset + i, words * 2);
    for (let w = 0; w < view.length; w += 2) {
      const lo = crc ^ view[w];
      const hi = view[w + 1];
      crc =
        t7[lo & 0xff] ^
        t6[(lo >>> 8) & 0xff] ^
        t5[(lo >>> 16) & 0xff] ^
        t4[lo >>> 24] ^
        t3[hi & 0xff] ^
        t2[(hi >>> 8) & 0xff] ^
        t1[(hi >>> 16) & 0xff] ^
        t0[hi >>> 24];
    }
    i += words * 8;
  }
  for (; i < end; i++) crc = t0[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}
