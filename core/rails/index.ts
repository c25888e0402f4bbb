export type { RailName } from "./names";
export { isRailName, RAIL_NAMES } from "./names";
export { SANDBOX_CAPTURE_TRIGGERS, SANDBOX_REFUND_TRIGGERS, SANDBOX_TRIGGERS } from "./sandbox";
