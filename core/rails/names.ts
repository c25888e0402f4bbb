/** Rail adapter names a region's config may choose (`rails: { CARD: card, ... }`). */
export const RAIL_NAMES = ["card", "sepa", "ach", "pix", "upi", "fps"] as const;

export type RailName = (typeof RAIL_NAMES)[number];

export function isRailName(value: string): value is RailName {
  return (RAIL_NAMES as readonly string[]).includes(value);
}
