import { Socket } from "node:net";
import { Writer } from "../../../local/kafka/protocol/writer";

/** A request frame with header v1 (or v2 when `flexible`), built by hand for protocol tests. */
export function requestFrame(
  apiKey: number,
  apiVersion: number,
  correlationId: number,
  body: Buffer,
  flexible = false,
) {
  const w = new Writer()
    .int32(0)
    .int16(apiKey)
    .int16(apiVersion)
    .int32(correlationId)
    .nullableString("raw-test");
  if (flexible) w.taggedFields();
  const frame = w.raw(body).toBuffer();
  frame.writeInt32BE(frame.length - 4, 0);
  return Buffer.from(frame);
}

export type Exchange = { responses: Buffer[]; closedByBroker: boolean };

/**
 * Sends raw bytes on a fresh connection and collects response frames (without size prefix)
 * until `expect` responses arrived, the broker closed the socket, or `timeoutMs` passed.
 */
export function exchange(port: number, bytes: Buffer, expect = 1, timeoutMs = 2000): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let pending = Buffer.alloc(0);
    const responses: Buffer[] = [];
    const done = (closedByBroker: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ responses, closedByBroker });
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on("data", (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        responses.push(pending.subarray(4, 4 + pending.readInt32BE(0)));
        pending = pending.subarray(4 + pending.readInt32BE(0));
      }
      if (responses.length >= expect) done(false);
    });
    socket.on("close", () => done(true));
    socket.on("error", () => done(true));
    socket.connect(port, "127.0.0.1", () => socket.write(bytes));
  });
}
