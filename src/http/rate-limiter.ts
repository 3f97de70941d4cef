import type {Clock} from './clock.js'

/** At most `requests` requests per `perMs` milliseconds. */
export interface RateSpec {
  requests: number
  perMs: number
}

/**
 * A token bucket of `requests` tokens where each spent token comes back `perMs` (plus a small margin) after it was
 * spent: a burst of up to `requests` is allowed, and never more than `requests` in any `perMs` window, which is what
 * vendors mean by "3 requests per second" and what a server counting over a sliding window enforces. (A bucket that
 * refills continuously would allow almost twice the rate in the first window.) The margin absorbs the difference
 * between when we send and when the server counts. Waiters are served first come, first served, so parallel pages
 * share the rate fairly.
 */
export class RateLimiter {
  /** Send times of the last `capacity` requests, oldest first. */
  private readonly sent: number[] = []
  private queue: Promise<void> = Promise.resolve()
  private readonly capacity: number
  private readonly periodMs: number

  constructor(
    spec: RateSpec,
    private readonly clock: Clock,
  ) {
    if (!(spec.requests > 0) || !(spec.perMs > 0))
      throw new RangeError(`invalid rate ${spec.requests}/${spec.perMs} ms`)
    // A fractional rate (0.5 per second) becomes one request per 2 s.
    this.capacity = Math.max(1, Math.floor(spec.requests))
    const period = (spec.perMs * this.capacity) / spec.requests
    this.periodMs = period + Math.min(50, period * 0.02)
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
      if (this.sent.length < this.capacity) {
        this.sent.push(now)
        return
      }

      const wait = this.sent[0]! + this.periodMs - now
      if (wait <= 0) {
        this.sent.shift()
        this.sent.push(now)
        return
      }

      await this.clock.sleep(Math.ceil(wait), signal)
    }
  }
}
