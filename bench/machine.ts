// A fixed reference workload measured before a benchmark, so that figures taken on different
// machines can be compared: two machines of this workplace's kind gave the same code 13.5-20.4
// and 24.2-33.7 ms of CPU per payment (docs/pipeline-events.md). It times plain computation
// and, apart, a loopback HTTP round trip, of which the stack makes about ten per payment.
import { createHmac } from "node:crypto";
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

const COMPUTE_ROUNDS = 20_000;
const ROUND_TRIPS = 2_000;

export type MachineReference = {
  /** CPU ms for COMPUTE_ROUNDS of JSON round trip + HMAC-SHA256 over a payment-sized object. */
  computeMs: number;
  /** CPU µs per keep-alive HTTP POST over 127.0.0.1, client and server both in this process. */
  loopbackUs: number;
};

const cpuMs = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

function compute(): number {
  const payment = {
    id: "pay_01M91B09T494HK946DKHHYFCAT",
    tenantId: "acme",
    amount: { minor: "12345", currency: "EUR" },
    payer: { name: "Ada Lovelace", country: "DE", last4: "4242", brand: "visa" },
    metadata: { order: "A-1", lines: Array.from({ length: 8 }, (_, i) => ({ sku: `SKU-${i}`, qty: i })) },
  };
  const started = process.cpuUsage();
  let digest = "";
  // Each round keys its HMAC with the last digest, so no round can be skipped.
  for (let i = 0; i < COMPUTE_ROUNDS; i++) {
    const copy = JSON.parse(JSON.stringify({ ...payment, sequence: i }));
    digest = createHmac("sha256", digest).update(JSON.stringify(copy)).digest("hex");
  }
  return cpuMs(started);
}

async function loopback(): Promise<number> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.end('{"ok":true}'));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = "x".repeat(500);
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, method: "POST", path: "/", agent }, (res) => {
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end(body);
    });
  try {
    for (let i = 0; i < 100; i++) await post();
    const started = process.cpuUsage();
    for (let i = 0; i < ROUND_TRIPS; i++) await post();
    return (cpuMs(started) * 1000) / ROUND_TRIPS;
  } finally {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

export async function machineReference(): Promise<MachineReference> {
  compute();
  return { computeMs: compute(), loopbackUs: await loopback() };
}

export const describeMachine = ({ computeMs, loopbackUs }: MachineReference) =>
  `machine reference (bench/machine.ts, before the stack starts): compute ${computeMs.toFixed(0)} ms CPU, ` +
  `loopback HTTP round trip ${loopbackUs.toFixed(0)} µs CPU; compare runs on different machines by these`;
