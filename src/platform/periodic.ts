/**
 * A background task run once shortly after start and then on a fixed period; a failure is logged
 * and the next run comes as planned. The timers never keep the process alive.
 */
export function startPeriodic(
  run: () => Promise<unknown>,
  opts: { firstAfterMs: number; everyMs: number; log: { error(o: object, msg: string): void }; failure: string },
): { stop(): void } {
  const tick = () => run().catch((err: unknown) => opts.log.error({ err }, opts.failure));
  const first = setTimeout(tick, opts.firstAfterMs);
  const timer = setInterval(tick, opts.everyMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
