// Payrail's pure payment domain: what consumers, resolvers' Lambdas and local tools import.
export type { PayrailConfig, PipelineConfig, RegionConfig, TenantConfig } from "./config";
export { allTopics, ConfigError, loadConfig, writeTenantConfig } from "./config";
export type { ApiError, ErrorType } from "./errors";
export { isPayrailError, PayrailError, validationError } from "./errors";
export type { EventDataByType, EventEnvelope, EventType, PartyData } from "./events";
export { createEvent, EVENT_SCHEMAS, isBackwardCompatible, partyData, validateEvent } from "./events";
export type { Money } from "./money";
export { addMoney, compareMoney, formatMoney, moneyFromMinor, parseMoney, subtractMoney } from "./money";
export { partitionFor, topicPartitionCount } from "./partitioning";
export type { PaymentRequest, ReducedCard } from "./payment-methods";
export { cardFingerprint, maskAccount, maskIban, reduceCard, validatePaymentInput } from "./payment-methods";
export type { RiskAssessment, RiskDecision } from "./risk";
export { assessRisk, statusForDecision } from "./risk";
export type { PaymentState, TransitionResult } from "./states";
export { isTerminal, transition } from "./states";
