export {
  canReach,
  isPaymentStatus,
  isTerminal,
  NEXT_STATUSES,
  PAYMENT_STATUSES,
  TERMINAL_STATUSES,
} from "./graph";
export type { PaymentState, StatusEvent, TransitionResult } from "./transition";
export { transition } from "./transition";
