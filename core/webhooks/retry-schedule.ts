// When a failed webhook delivery is tried again: exponential backoff with "equal jitter"
// (half the step fixed, half random, so retries never collapse to zero and partners that
// failed together do not get hit in lockstep), until the schedule's horizon (3 days by
// default, config/webhooks.yaml) has passed since the delivery was created.
export type RetrySchedule = {
  /** The pause after the first failed attempt, before jitter. */
  firstDelayMs: number;
  /** No pause is longer than this, before jitter. */
  maxDelayMs: number;
  /** No attempt is scheduled later than this after the delivery was created. */
  giveUpAfterMs: number;
};

/** The pause after failed attempt number `attempt` (1 = the first POST). */
export function retryDelayMs(
  schedule: RetrySchedule,
  attempt: number,
  random: () => number = Math.random,
): number {
  const step = Math.min(schedule.maxDelayMs, schedule.firstDelayMs * 2 ** (attempt - 1));
  return Math.floor(step / 2 + random() * (step / 2));
}

/**
 * The time of the next attempt after failed attempt `attempt` at `failedAtMs`, or undefined
 * when it would fall after the horizon: the delivery has failed for good.
 */
export function nextAttemptAt(
  schedule: RetrySchedule,
  createdAtMs: number,
  failedAtMs: number,
  attempt: number,
  random: () => number = Math.random,
): number | undefined {
  const next = failedAtMs + retryDelayMs(schedule, attempt, random);
  return next <= createdAtMs + schedule.giveUpAfterMs ? next : undefined;
}
