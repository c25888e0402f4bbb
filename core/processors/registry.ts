// Every processor Payrail knows, and the sandbox instances config/processors.yaml describes.
import { achHarborSandbox } from "./ach-harbor-sandbox";
import { achLakesideSandbox } from "./ach-lakeside-sandbox";
import { adyenSandbox } from "./adyen-sandbox";
import { checkoutSandbox } from "./checkout-sandbox";
import { fpsSandbox } from "./fps-sandbox";
import type { Personality } from "./personality";
import { pixSandbox } from "./pix-sandbox";
import { type SandboxLedger, type SandboxModule, sandboxProcessor, type Wait } from "./sandbox";
import { sepaNordbankSandbox } from "./sepa-nordbank-sandbox";
import { sepaSudbankSandbox } from "./sepa-sudbank-sandbox";
import { stripeSandbox } from "./stripe-sandbox";
import type { Processor } from "./types";
import { upiSandbox } from "./upi-sandbox";

export const PROCESSOR_MODULES: readonly SandboxModule[] = [
  stripeSandbox,
  adyenSandbox,
  checkoutSandbox,
  sepaNordbankSandbox,
  sepaSudbankSandbox,
  achLakesideSandbox,
  achHarborSandbox,
  pixSandbox,
  upiSandbox,
  fpsSandbox,
];

export const processorModule = (name: string): SandboxModule | undefined =>
  PROCESSOR_MODULES.find((module) => module.name === name);

export type ProcessorRegistry = ReadonlyMap<string, Processor>;

/** One sandbox processor per configured personality; a deployment may register real ones under the same names. */
export function sandboxProcessors(
  personalities: ReadonlyMap<string, Personality>,
  wait?: Wait,
  /** The sandboxes' clock (refund settlement days) and each one's ledger (in memory when not given). */
  options: { now?: () => Date; ledgerOf?: (processor: string) => SandboxLedger } = {},
): ProcessorRegistry {
  const registry = new Map<string, Processor>();
  for (const [name, personality] of personalities) {
    const module = processorModule(name);
    if (!module) throw new Error(`no processor module named ${name}`);
    registry.set(
      name,
      sandboxProcessor(module, personality, wait, { now: options.now, ledger: options.ledgerOf?.(name) }),
    );
  }
  return registry;
}
