export type { DeclineClass, DeclineCode, DeclineCodeName } from "./decline-codes";
export { DECLINE_CODES, declineCode } from "./decline-codes";
export type { Fee, Personality } from "./personality";
export { feeFor } from "./personality";
export {
  fastForwardRefundSettlement,
  isRefundSettled,
  refundSettlementMs,
  refundSettlesAt,
  refundsBeforeSettlement,
} from "./refund-settlement";
export type { ProcessorRegistry } from "./registry";
export { PROCESSOR_MODULES, processorModule, sandboxProcessors } from "./registry";
export type { LedgerEntry, SandboxDecision, SandboxLedger, SandboxModule, Wait } from "./sandbox";
export {
  FAILOVER_TEST_CARD,
  memoryLedger,
  realWait,
  reportedWait,
  sandboxDecision,
  sandboxProcessor,
} from "./sandbox";
export type {
  CallOptions,
  FollowUpRequest,
  PendingRefund,
  Processor,
  ProcessorName,
  ProcessorOutcome,
  ProcessorRequest,
  ProcessorStatus,
  RefundOutcome,
  RefundRequest,
} from "./types";
