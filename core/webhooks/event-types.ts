// Which events an endpoint subscribes to: exact event types, or "*" for all of them.

import { validationError } from "../errors";
import { EVENT_TYPES, type EventType } from "../events";

export const ALL_EVENT_TYPES = "*";

/** Checks a subscription list; names the offending entry in the ValidationError. */
export function checkedEventTypes(field: string, raw: unknown): string[] {
  if (!Array.isArray(raw) || raw.length === 0)
    throw validationError(field, `must list at least one event type or "${ALL_EVENT_TYPES}"`);
  raw.forEach((entry, i) => {
    if (entry !== ALL_EVENT_TYPES && !EVENT_TYPES.includes(entry as EventType)) {
      throw validationError(
        `${field}[${i}]`,
        `must be "${ALL_EVENT_TYPES}" or one of ${EVENT_TYPES.join(", ")}`,
      );
    }
  });
  return [...new Set(raw as string[])];
}

export function subscribesTo(eventTypes: readonly string[], type: string): boolean {
  return eventTypes.includes(ALL_EVENT_TYPES) || eventTypes.includes(type);
}
