/** Time as the HTTP client and the rate limiter see it; tests inject a virtual clock so retries never wait for real. */
export interface Clock {
  /** Milliseconds, monotonic enough for rate limiting (epoch ms for the real clock: Retry-After dates need it). */
  now(): number
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 && !signal?.aborted) return Promise.resolve()
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason)
        return
      }

      const onAbort = (): void => {
        clearTimeout(timer)
        reject(signal?.reason)
      }

      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      signal?.addEventListener('abort', onAbort, {once: true})
    })
  },
}

/**
 * A virtual clock: `sleep` advances `now` at once and records the delay. For tests of retries, backoff and rate limits
 * that must not wait for real seconds.
 */
export class VirtualClock implements Clock {
  readonly sleeps: number[] = []

  constructor(private time = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.time
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason
    this.sleeps.push(ms)
    this.time += Math.max(0, ms)
  }
}
