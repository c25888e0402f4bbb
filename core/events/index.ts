export type { JsonSchema } from "./compatibility";
export { compatibilityProblems, isBackwardCompatible } from "./compatibility";
export type { CreateEventOptions, PaymentOrigin } from "./create";
export { createEvent } from "./create";
export { partyData } from "./party";
export type { EventSchemaDefinition } from "./registry";
export { EVENT_SCHEMAS, latestVersion, schemaFor } from "./registry";
export type {
  AccountData,
  EventDataByType,
  EventEnvelope,
  EventType,
  LastAttempt,
  PartyData,
} from "./types";
export { EVENT_TYPES } from "./types";
export type { EventValidation } from "./validate";
export { validateEvent } from "./validate";
