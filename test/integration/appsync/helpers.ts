// Real clients for the emulator tests: fetch for HTTP, SigV4-signed fetch, and a raw
// AppSync real-time client over ws that records every message.
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import WebSocket from "ws";

// biome-ignore lint/suspicious/noExplicitAny: tests walk arbitrary response JSON and assert on it.
type Json = any;

export type GraphQLResult = { status: number; body: Record<string, Json> };

export async function gql(
  url: string,
  headers: Record<string, string>,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResult> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, Json> };
}

export async function signedHeaders(
  url: string,
  body: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
): Promise<Record<string, string>> {
  const target = new URL(url);
  const signer = new SignatureV4({
    credentials,
    region: "eu-west-1",
    service: "appsync",
    sha256: Hash.bind(null, "sha256"),
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: "POST",
      protocol: "https:",
      hostname: target.host,
      path: target.pathname,
      headers: { host: target.host, "content-type": "application/json" },
      body,
    }),
  );
  return signed.headers as Record<string, string>;
}

export async function signedGql(
  url: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  query: string,
  variables: Record<string, unknown>,
): Promise<GraphQLResult> {
  const body = JSON.stringify({ query, variables });
  const headers = await signedHeaders(url, body, credentials);
  const response = await fetch(url, { method: "POST", headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, Json> };
}

type Message = { type: string; id?: string; payload?: Json };

/** A raw AppSync real-time client: connect, then wait for messages by predicate. */
export class RealtimeClient {
  readonly messages: Message[] = [];
  private waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  closed: Promise<number>;

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (raw) => {
      const message = JSON.parse(String(raw)) as Message;
      this.messages.push(message);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(message)) return true;
        w.resolve(message);
        return false;
      });
    });
    this.closed = new Promise((resolve) => socket.on("close", (code) => resolve(code)));
  }

  static async connect(
    realtimeUrl: string,
    auth: Record<string, string> | null,
    via: "query" | "protocol" = "query",
  ) {
    const header = auth ? JSON.stringify(auth) : null;
    const url = new URL(realtimeUrl);
    const protocols = ["graphql-ws"];
    if (header && via === "query") {
      url.searchParams.set("header", Buffer.from(header).toString("base64"));
      url.searchParams.set("payload", Buffer.from("{}").toString("base64"));
    }
    if (header && via === "protocol") protocols.push(`header-${Buffer.from(header).toString("base64url")}`);
    const socket = new WebSocket(url, protocols);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return new RealtimeClient(socket);
  }

  send(message: unknown) {
    this.socket.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** Resolves with the first message (already received or future) that matches; bounded by timeoutMs. */
  next(match: (m: Message) => boolean, timeoutMs = 5_000): Promise<Message> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching message within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  async init() {
    this.send({ type: "connection_init" });
    return this.next((m) => m.type === "connection_ack" || m.type === "connection_error");
  }

  async start(
    id: string,
    query: string,
    variables: Record<string, unknown>,
    authorization: Record<string, string>,
  ) {
    this.send({
      id,
      type: "start",
      payload: { data: JSON.stringify({ query, variables }), extensions: { authorization } },
    });
    return this.next((m) => m.id === id && (m.type === "start_ack" || m.type === "error"));
  }

  close() {
    this.socket.close();
  }
}
