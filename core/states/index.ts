export type { CaptureDecision } from "./capture";
export { authorizationExpiry, captureAmount, isAuthorizationExpired } from "./capture";
export {
  CANCELABLE_STATUSES,
  canReach,
  isPaymentStatus,
  isTerminal,
  NEXT_STATUSES,
  PAYMENT_STATUSES,
  TERMINAL_STATUSES,
} from "./graph";
export type { RefundEntry, RefundLedger, RefundResult, RefundStep } from "./refunds";
export {
  applyRefund,
  pendingRefundMinor,
  REFUND_NEXT,
  refundableMinor,
  refundedMinor,
  statusAfterRefunds,
} from "./refunds";
export type { PaymentState, StatusEvent, TransitionResult } from "./transition";
export { transition } from "./transition";
