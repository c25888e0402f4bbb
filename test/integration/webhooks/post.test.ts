// One webhook POST (consumers/platform/webhook-post) against real receivers on 127.0.0.1:
// the address guard refuses a loopback host under the AWS policy before connecting, a
// redirect is not followed, and a receiver that never answers ends as an error at the deadline.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postWebhook } from "../../../consumers/platform/webhook-post";

let server: Server;
let base: string;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    hits.push(request.url ?? "");
    request.resume();
    if (request.url === "/redirect") response.writeHead(302, { location: `${base}/target` }).end();
    else if (request.url === "/hang")
      return; // never answers
    else response.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const local = { timeoutMs: 2000, policy: { allowLoopback: true } };

describe("postWebhook", () => {
  it("POSTs the body with the given headers and reports the status", async () => {
    expect(await postWebhook(`${base}/ok`, "{}", { "Payrail-Event-Id": "e1" }, local)).toMatchObject({
      statusCode: 204,
    });
    expect(hits).toContain("/ok");
  });

  it("never connects to an address the policy forbids (a name re-pointed at loopback on AWS)", async () => {
    const before = hits.length;
    const result = await postWebhook(
      `http://localhost:${new URL(base).port}/aws`,
      "{}",
      {},
      {
        timeoutMs: 2000,
        policy: { allowLoopback: false },
      },
    );
    expect(result.statusCode).toBeNull();
    expect(result.error).toMatch(/forbidden address/);
    expect(hits.length).toBe(before);
  });

  it("does not follow a redirect: the 302 is the answer", async () => {
    expect((await postWebhook(`${base}/redirect`, "{}", {}, local)).statusCode).toBe(302);
    expect(hits).not.toContain("/target");
  });

  it("gives up on a receiver that does not answer by the deadline", async () => {
    const result = await postWebhook(`${base}/hang`, "{}", {}, { ...local, timeoutMs: 300 });
    expect(result.statusCode).toBeNull();
    expect(result.error).toMatch(/no answer within 300 ms/);
  });
});
