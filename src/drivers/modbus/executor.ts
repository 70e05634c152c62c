// One Modbus transaction at a time per bus, in order: a serial line is half duplex and most TCP
// gateways answer one request at a time.
/** A queue of transactions; the first starts synchronously, so an idle bus writes within the caller's turn. */
export function serialExecutor() {
  let busy = false;
  const queue: (() => Promise<void>)[] = [];
  const pump = () => {
    if (busy) return;
    const next = queue.shift();
    if (!next) return;
    busy = true;
    void next().finally(() => {
      busy = false;
      pump();
    });
  };
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        try {
          return task().then(resolve, reject);
        } catch (err) {
          // A task that throws before its first await must not leave the bus busy forever.
          reject(err instanceof Error ? err : new Error(String(err)));
          return Promise.resolve();
        }
      });
      pump();
    });
}
