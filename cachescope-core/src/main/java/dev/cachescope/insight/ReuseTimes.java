package dev.cachescope.insight;

import org.HdrHistogram.Histogram;

/**
 * How long after its key's previous reference each sampled miss came: the input for TTL advice. A
 * miss whose key was last referenced longer ago than the TTL was most likely an expiry; a longer
 * TTL would have turned it into a hit if its reuse time fits under the longer TTL (and the entry
 * survived eviction, which this does not model). Not thread-safe.
 */
public final class ReuseTimes {
  private static final long HIGHEST_MILLIS = 366L * 24 * 3600 * 1000;

  private final Histogram reuseMillis = new Histogram(HIGHEST_MILLIS, 2);
  private long misses;

  /**
   * Records a sampled miss standing for {@code weight} misses.
   *
   * @param reuseNanos time since its key's previous reference, -1 for a first reference
   */
  public void miss(long reuseNanos, long weight) {
    misses += weight;
    if (reuseNanos >= 0) {
      reuseMillis.recordValueWithCount(Math.min(HIGHEST_MILLIS, reuseNanos / 1_000_000), weight);
    }
  }

  /** Estimated misses recorded, first references included. */
  public long misses() {
    return misses;
  }

  /**
   * The share of all recorded misses whose reuse time is over {@code ttlMillis} and at most {@code
   * longerTtlMillis}: the misses a TTL of {@code longerTtlMillis} would have avoided. 0 when there
   * were no misses.
   */
  public double avoidedBy(long ttlMillis, long longerTtlMillis) {
    if (misses == 0 || longerTtlMillis <= ttlMillis) {
      return 0;
    }
    long avoided =
        reuseMillis.getCountBetweenValues(
            Math.min(HIGHEST_MILLIS, ttlMillis + 1), Math.min(HIGHEST_MILLIS, longerTtlMillis));
    return Math.min(1.0, (double) avoided / misses);
  }

  /** The reuse time of misses on keys referenced before at {@code percentile}, or -1 if none. */
  public long reuseMillisAt(double percentile) {
    return reuseMillis.getTotalCount() == 0 ? -1 : reuseMillis.getValueAtPercentile(percentile);
  }
}
