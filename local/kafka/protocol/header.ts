import type { Reader } from "./reader";
import type { Writer } from "./writer";

export type RequestHeader = {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  /** v1+ (null in v0 or when the client sends none). */
  clientId: string | null;
};

/** Request header v0: api_key api_version correlation_id. */
export function decodeRequestHeaderV0(r: Reader): RequestHeader {
  return { apiKey: r.int16(), apiVersion: r.int16(), correlationId: r.int32(), clientId: null };
}

/** Request header v1: v0 + client_id (nullable string, never compact). */
export function decodeRequestHeaderV1(r: Reader): RequestHeader {
  return { ...decodeRequestHeaderV0(r), clientId: r.nullableString() };
}

/** Request header v2 (flexible requests): v1 + tagged fields. */
export function decodeRequestHeaderV2(r: Reader): RequestHeader {
  const header = decodeRequestHeaderV1(r);
  r.taggedFields();
  return header;
}

/** Response header v0: correlation_id. */
export function encodeResponseHeaderV0(w: Writer, correlationId: number): Writer {
  return w.int32(correlationId);
}

/** Response header v1 (flexible responses except ApiVersions): v0 + tagged fields. */
export function encodeResponseHeaderV1(w: Writer, correlationId: number): Writer {
  return encodeResponseHeaderV0(w, correlationId).taggedFields();
}
