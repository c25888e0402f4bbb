// A partner's webhook receiver for the tests: node:http on 127.0.0.1, recording every POST
// (raw body, headers) and answering as `answer` says; `next()` waits for a matching POST.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Received = {
  body: string;
  headers: IncomingHttpHeaders;
  event: {
    eventId: string;
    type: string;
    paymentId: string;
    sequence: number;
    data: Record<string, unknown>;
  };
  attempt: number;
};

/** Answers a POST: a status code, or "hang" (never answer). */
export type Answer = (received: Received, index: number) => number | "hang";

export type Receiver = {
  url: string;
  received: Received[];
  /** Resolves with the first POST (already received or still to come) that matches. */
  next(match: (r: Received) => boolean): Promise<Received>;
  close(): Promise<void>;
};

export async function startReceiver(answer: Answer = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const waiting: { match: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const item: Received = {
        body,
        headers: request.headers,
        event: JSON.parse(body) as Received["event"],
        attempt: Number(request.headers["payrail-delivery-attempt"]),
      };
      received.push(item);
      for (const waiter of waiting.filter((w) => w.match(item))) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(item);
      }
      const status = answer(item, received.length - 1);
      if (status === "hang") hanging.push(response);
      else response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    next(match) {
      const found = received.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiting.push({ match, resolve }));
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The v1 signatures of a Payrail-Signature header that verify with `secret` (node:crypto only). */
export function verifyingSignatures(header: string, body: string, secret: string): number {
  const parts = header.split(",");
  const t = parts.find((p) => p.startsWith("t="))?.slice(2) ?? "";
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  return parts
    .filter((p) => p.startsWith("v1="))
    .map((p) => Buffer.from(p.slice(3), "hex"))
    .filter((sig) => sig.length === expected.length && timingSafeEqual(sig, expected)).length;
}
