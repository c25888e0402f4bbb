import type { Reader } from "../reader";
import type { Writer } from "../writer";

/** Wire format of one API version: request decoder and response encoder. */
export type VersionCodec<Req, Res> = {
  request: (r: Reader) => Req;
  response: (w: Writer, res: Res) => void;
};

/**
 * One API: every version it implements (contiguous), each mapped to the codec of the
 * newest wire format at or below it. Versions from `flexibleFrom` use the v2 request
 * header and compact types.
 */
export type ApiCodec<Req, Res> = {
  key: number;
  name: string;
  versions: Readonly<Record<number, VersionCodec<Req, Res>>>;
  flexibleFrom?: number;
};

export function versionRange(api: { versions: Readonly<Record<number, unknown>> }): {
  min: number;
  max: number;
} {
  const numbers = Object.keys(api.versions).map(Number);
  return { min: Math.min(...numbers), max: Math.max(...numbers) };
}

/** Most APIs' v1/v2 responses are the v0 body preceded by throttle_time_ms. */
export const throttledFirst =
  <Res extends { throttleTimeMs: number }>(body: (w: Writer, res: Res) => void) =>
  (w: Writer, res: Res) => {
    w.int32(res.throttleTimeMs);
    body(w, res);
  };
