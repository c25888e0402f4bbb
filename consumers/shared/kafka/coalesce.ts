// Group commit for a sender that allows one request in flight (kafkajs's idempotent
// producer): calls that arrive while a send is under way wait and go out together in the
// next one, instead of queueing one request each behind it. Every caller's promise
// settles with the send that carried its items, in the order the calls were made.

type Waiting<T> = { items: T[]; resolve(): void; reject(error: unknown): void };

export function coalesce<T>(send: (items: T[]) => Promise<void>): (items: T[]) => Promise<void> {
  let waiting: Waiting<T>[] = [];
  let sending = false;

  const drain = async () => {
    sending = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        await send(batch.flatMap((w) => w.items));
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    sending = false;
  };

  return (items) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ items, resolve, reject });
      if (!sending) void drain();
    });
}
