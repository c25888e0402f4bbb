export type {
  RailAdapter,
  RailCallBase,
  RailFollowUpRequest,
  RailOutcome,
  RailRefundRequest,
  RailRequest,
} from "./adapter";
export type { RailName } from "./names";
export { isRailName, RAIL_NAMES } from "./names";
export type { RailRegistry } from "./registry";
export { railAdapterFor, sandboxRailRegistry } from "./registry";
export {
  SANDBOX_CAPTURE_TRIGGERS,
  SANDBOX_REFUND_TRIGGERS,
  SANDBOX_TRIGGERS,
  sandboxRailAdapter,
} from "./sandbox";
