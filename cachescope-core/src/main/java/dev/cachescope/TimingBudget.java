package dev.cachescope;

/**
 * Which lookups are timed: a budget per stripe (per thread, as threads hash to stripes) that times
 * every lookup while the thread makes few and fewer as its rate grows, so that the timed records
 * per second per thread stay near {@code 1 / spacing}, whatever the load.
 *
 * <p>Each stripe times one lookup in {@code 2^k}, by a countdown: no random draw, and the timed
 * lookup stands for exactly the {@code 2^k} lookups of its countdown. k adapts at timed lookups
 * only, so untimed lookups never read the clock: when {@value #BURST} timed lookups came faster
 * than {@value #BURST} spacings, k grows by one; when a timed lookup comes more than two spacings
 * after the previous one, k shrinks by the log2 of how late it is. k stays between 0 and the
 * configured limit. A thread making one lookup a second is timed at every lookup, and so is any
 * burst of up to {@value #BURST}; one making 40 million a second settles within a few thousand
 * timed lookups at about one in 2^13.
 *
 * <p>Called from cache callers' threads without synchronisation: each stripe's words are read and
 * written plainly by the threads that hash to it. Two threads that share a stripe may race and lose
 * a countdown step; that moves one sample, never a count (counts are kept elsewhere, exactly).
 */
final class TimingBudget {
  /** Longs per stripe: one cache line, so two stripes' countdowns never share one. */
  private static final int BLOCK = 8;

  /** Timed lookups per adaptation step. */
  static final int BURST = 64;

  private static final int COUNTDOWN = 0;
  private static final int LOG2 = 1;
  private static final int LAST_TIMED = 2;
  private static final int WEIGHT_LOG2 = 3;
  private static final int BURST_START = 4;
  private static final int IN_BURST = 5;

  private final long[] state;
  private final int maxLog2;
  private final long spacingNanos;

  /**
   * @param stripes how many stripes
   * @param maxLog2 the fewest timed: one lookup in {@code 2^maxLog2}; 0 times every lookup
   * @param spacingNanos the wanted time between two timed lookups of one thread
   */
  TimingBudget(int stripes, int maxLog2, long spacingNanos) {
    this.state = new long[(stripes + 1) * BLOCK];
    this.maxLog2 = maxLog2;
    this.spacingNanos = spacingNanos;
  }

  /** Whether the stripe's next lookup is timed; counts it down. One read and one write. */
  boolean draw(int stripe) {
    int base = (stripe + 1) * BLOCK;
    long left = state[base + COUNTDOWN] - 1;
    state[base + COUNTDOWN] = left;
    return left <= 0;
  }

  /**
   * A lookup that {@link #draw} chose was timed at {@code nowNanos}: adapts the stripe's rate and
   * returns the log2 of the lookups this one stands for, which {@link #weightLog2} returns until
   * the next.
   */
  int timed(int stripe, long nowNanos) {
    int base = (stripe + 1) * BLOCK;
    int log2 = (int) state[base + LOG2];
    state[base + WEIGHT_LOG2] = log2;
    long previous = state[base + LAST_TIMED];
    state[base + LAST_TIMED] = nowNanos;
    int next = log2;
    long late = previous == 0 ? 0 : (nowNanos - previous) / spacingNanos;
    if (late >= 2) {
      next = Math.max(0, log2 - (63 - Long.numberOfLeadingZeros(late)));
      state[base + IN_BURST] = 0;
    } else if (state[base + IN_BURST]++ == 0) {
      state[base + BURST_START] = nowNanos;
    } else if (state[base + IN_BURST] >= BURST) {
      if (nowNanos - state[base + BURST_START] < BURST * spacingNanos && log2 < maxLog2) {
        next = log2 + 1;
      }
      state[base + IN_BURST] = 0;
    }
    state[base + LOG2] = next;
    state[base + COUNTDOWN] = 1L << next;
    return log2;
  }

  /**
   * A lookup that {@link #draw} chose could not be timed (its record would be dropped): restarts
   * the countdown at the current rate.
   */
  void skip(int stripe) {
    int base = (stripe + 1) * BLOCK;
    state[base + COUNTDOWN] = 1L << state[base + LOG2];
  }

  /** The log2 of the weight of the stripe's last timed lookup. */
  int weightLog2(int stripe) {
    return (int) state[(stripe + 1) * BLOCK + WEIGHT_LOG2];
  }
}
