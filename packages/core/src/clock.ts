const DAY_MS = 86_400_000;

/**
 * The clock as a check sees it. Checks compare dates with "now" through these questions rather
 * than reading the instant, so the run knows how long its verdict stays true: each answer notes
 * the instant from which it would differ, and the earliest of those is `validUntil`. The run
 * cache (`check --cache`) replays a report only inside that window.
 */
export interface CheckClock {
  /** Whole days from `date` to now, rounded down like Python's `(now - dt).days` (negative for a future date). */
  daysSince(date: Date): number;
  /** Whether now is strictly before `instant` (epoch milliseconds). */
  isBefore(instant: number): boolean;
  /** Now's UTC calendar date, `YYYY-MM-DD`. */
  utcDate(): string;
}

/** The clock of one run: a fixed "now" (`--now`) or the current time, and how long answers hold. */
export class RunClock implements CheckClock {
  private until = Number.POSITIVE_INFINITY;

  /**
   * @param now the run's instant
   * @param fixed true when "now" was given (`--now`): answers never expire, the instant is part of the run's input
   */
  constructor(
    readonly now: Date,
    readonly fixed = false,
  ) {}

  /** Epoch milliseconds from which some answer given so far could change (`Infinity`: none could). */
  get validUntil(): number {
    return this.until;
  }

  /** A direct read of the instant (`ctx.now`): anything may depend on it, so answers hold only at this instant. */
  instant(): Date {
    this.expireAt(this.now.getTime());
    return this.now;
  }

  daysSince(date: Date): number {
    const days = Math.floor((this.now.getTime() - date.getTime()) / DAY_MS);
    this.expireAt(date.getTime() + (days + 1) * DAY_MS);
    return days;
  }

  isBefore(instant: number): boolean {
    const before = this.now.getTime() < instant;
    // Once now has reached the instant the answer stays false; while before, it flips at the instant.
    if (before) this.expireAt(instant);
    return before;
  }

  utcDate(): string {
    const t = this.now.getTime();
    this.expireAt(Math.floor(t / DAY_MS) * DAY_MS + DAY_MS);
    return this.now.toISOString().slice(0, 10);
  }

  private expireAt(instant: number): void {
    if (!this.fixed && instant < this.until) this.until = instant;
  }
}
