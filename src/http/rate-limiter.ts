import type {Clock} from './clock.js'

/** At most `requests` requests per `perMs` milliseconds. */
export interface RateSpec {
  requests: number
  perMs: number
}

/**
 * A token bucket: `requests` tokens, refilled continuously at requests/perMs. Waiters are served first come, first
 * served (one queue), so parallel pages share the rate fairly and the achieved rate is the configured one.
 */
export class RateLimiter {
  private tokens: number
  private last: number
  private queue: Promise<void> = Promise.resolve()
  private readonly capacity: number
  private readonly perToken: number

  constructor(
    spec: RateSpec,
    private readonly clock: Clock,
  ) {
    if (!(spec.requests > 0) || !(spec.perMs > 0)) throw new RangeError(`invalid rate ${spec.requests}/${spec.perMs} ms`)
    // A bucket of at least one token; fractional rates (0.5 per second) still admit one request at a time.
    this.capacity = Math.max(1, spec.requests)
    this.perToken = spec.perMs / spec.requests
    this.tokens = this.capacity
    this.last = clock.now()
  }

  /** Resolves when the caller may send one request. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.take(signal))
    // The queue must survive a waiter that was aborted.
    this.queue = turn.catch(() => {})
    return turn
  }

  private async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now()
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) / this.perToken)
      this.last = now
      if (this.tokens >= 1) {
        this.tokens -= 1
        return
      }

      await this.clock.sleep(Math.ceil((1 - this.tokens) * this.perToken), signal)
    }
  }
}
