// A POST over node:http(s) with a keep-alive agent per protocol: the status service sends
// four signed mutations per payment, and global fetch (undici with WHATWG streams) cost
// about a third of each one's CPU (bench/pipeline, docs/pipeline-events.md). Answers the
// subset of fetch's Response the AppSync client reads.
import http from "node:http";
import https from "node:https";

export type PostResponse = { ok: boolean; status: number; statusText: string; json(): Promise<unknown> };
export type Post = (
  url: string,
  init: { method: "POST"; headers: Record<string, string>; body: string },
) => Promise<PostResponse>;

const agents = {
  "http:": new http.Agent({ keepAlive: true }),
  "https:": new https.Agent({ keepAlive: true }),
};

export const httpPost: Post = (url, init) =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const protocol = target.protocol === "https:" ? https : http;
    const request = protocol.request(
      target,
      {
        method: init.method,
        headers: { ...init.headers, "content-length": String(Buffer.byteLength(init.body)) },
        agent: agents[target.protocol === "https:" ? "https:" : "http:"],
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            ok: status >= 200 && status < 300,
            status,
            statusText: response.statusMessage ?? "",
            json: async () => JSON.parse(text) as unknown,
          });
        });
      },
    );
    request.on("error", reject);
    request.end(init.body);
  });
