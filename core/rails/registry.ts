import type { RegionConfig } from "../config";
import type { PaymentType } from "../generated/graphql";
import type { RailAdapter } from "./adapter";
import { RAIL_NAMES, type RailName } from "./names";
import { sandboxRailAdapter } from "./sandbox";

export type RailRegistry = ReadonlyMap<RailName, RailAdapter>;

/** All sandbox adapters by name; a deployment may register real ones under the same names. */
export function sandboxRailRegistry(): RailRegistry {
  return new Map(RAIL_NAMES.map((name) => [name, sandboxRailAdapter(name)]));
}

/** The adapter the region's config chooses for a payment type, or undefined if it offers none. */
export function railAdapterFor(
  registry: RailRegistry,
  region: RegionConfig,
  paymentType: PaymentType,
): RailAdapter | undefined {
  const name = region.rails[paymentType];
  return name ? registry.get(name) : undefined;
}
