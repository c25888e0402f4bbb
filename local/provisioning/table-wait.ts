// How provisioning waits for a local table to be created or deleted. The SDK's waiters
// default to 20 s between polls (minDelay, right for AWS, where a table takes seconds);
// dynalite is ready within milliseconds, but a first poll that still sees CREATING made one
// start in three take 20 s longer.
export const TABLE_WAIT = { maxWaitTime: 120, minDelay: 0.05, maxDelay: 1 } as const;
