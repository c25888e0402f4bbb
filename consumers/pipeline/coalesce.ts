// Group commit for a sender that allows one request in flight (kafkajs's idempotent
// producer): calls that arrive while a send is under way wait and go out together in the
// next one, up to `maxItems`, instead of queueing one request each behind it. Every
// caller's promise settles with the send that carried its items, in call order. When a
// shared send fails, each of its callers is sent again alone, so that one caller's bad
// items (or a transient error) fail only the calls that still fail by themselves.

type Waiting<T> = { items: T[]; resolve(): void; reject(error: unknown): void };

export function coalesce<T>(
  send: (items: T[]) => Promise<void>,
  options: { maxItems?: number } = {},
): (items: T[]) => Promise<void> {
  const maxItems = options.maxItems ?? 500;
  const waiting: Waiting<T>[] = [];
  let sending = false;

  /** The next calls to send together: at least one, then as many as fit in maxItems. */
  const takeBatch = (): Waiting<T>[] => {
    let count = waiting[0]?.items.length ?? 0;
    let taken = 1;
    while (taken < waiting.length && count + (waiting[taken]?.items.length ?? 0) <= maxItems) {
      count += waiting[taken]?.items.length ?? 0;
      taken++;
    }
    return waiting.splice(0, taken);
  };

  const sendAlone = async (call: Waiting<T>) => {
    try {
      await send(call.items);
      call.resolve();
    } catch (error) {
      call.reject(error);
    }
  };

  const drain = async () => {
    sending = true;
    while (waiting.length > 0) {
      const batch = takeBatch();
      if (batch.length === 1) {
        await sendAlone(batch[0] as Waiting<T>);
        continue;
      }
      try {
        await send(batch.flatMap((w) => w.items));
        for (const w of batch) w.resolve();
      } catch {
        for (const w of batch) await sendAlone(w);
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
