// #16: a body over the documented 1 MiB limit gets 413 with an AppSync-shaped error, not a reset.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppSyncEmulator, startAppSyncEmulator } from "../../../local/appsync/emulator";
import { TOKENS } from "../../fixtures/appsync/handlers/authorizer";
import { fixturePayrailApi } from "../../fixtures/appsync/payrail-api";

/** POSTs `size` bytes in chunks, as a client streaming a large body does; resolves with the answer. */
function postLarge(url: string, size: number, declared: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      // Without content-length the body is chunked and only counting it finds it too large.
      headers: {
        "content-type": "application/json",
        authorization: TOKENS.acme,
        ...(declared ? { "content-length": size } : {}),
      },
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", reject);
    const chunk = Buffer.alloc(64 * 1024, " ");
    let sent = 0;
    const write = () => {
      while (sent < size) {
        const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += piece.length;
        if (!req.write(piece)) {
          req.once("drain", write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

describe("request body limit", () => {
  let emulator: AppSyncEmulator;
  beforeAll(async () => {
    emulator = await startAppSyncEmulator({ api: fixturePayrailApi, logger: () => {} });
  });
  afterAll(() => emulator.stop());

  it.each([
    [1024 * 1024 + 1, true],
    [5 * 1024 * 1024, true],
    [1024 * 1024 + 1, false],
    [3 * 1024 * 1024, false],
  ])("answers a %i-byte body (content-length sent: %s) with 413, not a reset", async (size, declared) => {
    const { status, body } = await postLarge(emulator.url, size, declared);
    expect(status).toBe(413);
    expect(JSON.parse(body)).toEqual({
      errors: [
        { errorType: "PayloadTooLargeException", message: "Request body exceeds the limit of 1048576 bytes" },
      ],
    });
  });

  it("cuts a body that goes on past 8 MiB instead of draining it forever", async () => {
    const size = 64 * 1024 * 1024;
    const written = await new Promise<number>((resolve) => {
      const req = request(emulator.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: TOKENS.acme },
      });
      const chunk = Buffer.alloc(256 * 1024, " ");
      let sent = 0;
      const done = () => resolve(sent);
      req.on("error", done);
      req.on("close", done);
      req.on("response", (res) => res.resume());
      const write = () => {
        while (sent < size && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", write);
        }
        req.end();
      };
      write();
    });
    expect(written).toBeLessThan(size);
  });

  it("still takes a body just under the limit", async () => {
    const query = '{ payment(id: "pay_acme") { id } }';
    const padded = JSON.stringify({ query: query.padEnd(1024 * 1024 - 20, " ") });
    const response = await fetch(emulator.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: TOKENS.acme },
      body: padded,
    });
    expect(response.status).toBe(200);
  });
});
