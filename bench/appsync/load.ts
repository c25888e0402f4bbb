// A closed-loop HTTP load generator: `concurrency` keep-alive connections each send the
// next request as soon as the previous answered, until `requests` have been sent.
import { Agent, request } from "node:http";
import { percentile, sortedCopy } from "./stats";

export type LoadOptions = {
  url: string;
  headers: Record<string, string>;
  body: string;
  concurrency: number;
  requests: number;
  /** Checks each answer, so a benchmark of error responses cannot pass for a fast server. */
  expect: (status: number, body: string) => boolean;
};

export type LoadResult = { requests: number; failures: number; rps: number; p50: number; p99: number };

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  let sent = 0;
  let failures = 0;
  const worker = async () => {
    while (sent < options.requests) {
      sent += 1;
      const started = performance.now();
      const { status, body } = await post(agent, options);
      latencies.push(performance.now() - started);
      if (!options.expect(status, body)) failures += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedS = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = sortedCopy(latencies);
  return {
    requests: latencies.length,
    failures,
    rps: latencies.length / elapsedS,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

function post(agent: Agent, options: LoadOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      options.url,
      {
        method: "POST",
        agent,
        headers: { ...options.headers, "content-length": Buffer.byteLength(options.body) },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
