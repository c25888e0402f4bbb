// One webhook POST: node:http(s) with the address guard as its DNS lookup (no connection to
// a forbidden address, whatever the name resolves to now), no redirect following (node:http
// never follows; a 3xx is just not a 2xx), and one deadline for connect + answer. Keep-alive
// agents reuse connections to the same receiver.
import http from "node:http";
import https from "node:https";
import type { UrlPolicy } from "../../core/webhooks";
import { guardedLookup } from "./address-guard";

export type PostResult = { statusCode: number | null; latencyMs: number; error?: string };

export type WebhookPost = (
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; policy: UrlPolicy },
) => Promise<PostResult>;

const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 256 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

export const postWebhook: WebhookPost = (url, body, headers, { timeoutMs, policy }) =>
  new Promise((resolve) => {
    const started = performance.now();
    const target = new URL(url);
    const done = (statusCode: number | null, error?: string) => {
      clearTimeout(deadline);
      resolve({
        statusCode,
        latencyMs: Math.round(performance.now() - started),
        ...(error ? { error } : {}),
      });
    };
    const transport = target.protocol === "https:" ? https : http;
    const request = transport.request(target, {
      method: "POST",
      agent: target.protocol === "https:" ? agents["https:"] : agents["http:"],
      lookup: guardedLookup(policy),
      headers: {
        ...headers,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
        "user-agent": "Payrail-Webhooks/1",
      },
    });
    const deadline = setTimeout(() => {
      request.destroy(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    request.once("response", (response) => {
      // The answer's body is not read: drain it so the connection can be reused.
      response.resume();
      done(response.statusCode ?? null);
    });
    request.once("error", (error) => done(null, error.message));
    request.end(body);
  });
