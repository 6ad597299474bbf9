package dev.cachescope.internal;

import dev.cachescope.Operation;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jspecify.annotations.Nullable;

/**
 * One HdrHistogram of durations per operation type, in nanoseconds with two significant digits,
 * created the first time the type is timed. A sampled record is added with its weight, so a hit
 * timed once in 64 counts 64 times and the percentiles stand for all operations, not the sample.
 * Durations above one hour are recorded as one hour.
 *
 * <p>Not thread-safe: the owning monitor uses it under its drain lock.
 */
@SuppressWarnings("EnumOrdinal") // ordinals index dense arrays and packed bits, by design
public final class LatencyHistograms {
  /** The largest duration tracked exactly: one hour. */
  static final long HIGHEST_NANOS = 3_600_000_000_000L;

  private static final int SIGNIFICANT_DIGITS = 2;

  private final @Nullable Histogram[] byOperation = new Histogram[Operation.values().length];

  /** Lookup times since the last {@link #takeIntervalLookupP99()}. */
  private @Nullable Histogram intervalLookups;

  /** The last summary of each histogram, and the total count it was computed at. */
  private final double[] @Nullable [] summaries = new double[Operation.values().length][];

  /** Adds one timed record that stands for {@code weight} operations. */
  public void record(Operation operation, long durationNanos, long weight) {
    Histogram histogram = byOperation[operation.ordinal()];
    if (histogram == null) {
      histogram = new Histogram(1, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
      byOperation[operation.ordinal()] = histogram;
    }
    long value = Math.max(1, Math.min(durationNanos, HIGHEST_NANOS));
    histogram.recordValueWithCount(value, weight);
    if (operation == Operation.GET) {
      Histogram interval = intervalLookups;
      if (interval == null) {
        interval = new Histogram(1, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
        intervalLookups = interval;
      }
      interval.recordValueWithCount(value, weight);
    }
  }

  /**
   * The p99 of the lookup times recorded since the previous call, in nanoseconds, or NaN if none
   * was; starts the next interval.
   */
  public double takeIntervalLookupP99() {
    Histogram interval = intervalLookups;
    if (interval == null || interval.getTotalCount() == 0) {
      return Double.NaN;
    }
    double p99 = interval.getValueAtPercentile(99);
    interval.reset();
    return p99;
  }

  /** The histogram of {@code operation}, or {@code null} if it was never timed. Do not modify. */
  public @Nullable Histogram of(Operation operation) {
    return byOperation[operation.ordinal()];
  }

  /**
   * Count, mean and the given percentiles of {@code operation}'s durations in one pass over the
   * recorded buckets, or {@code null} if it was never timed. Each percentile is what HdrHistogram's
   * {@code getValueAtPercentile} returns, without walking the whole counts array once per
   * percentile: element 0 is the count, 1 the mean, then one value per percentile, then the max. A
   * histogram that recorded nothing since its last summary is not walked again.
   */
  public double @Nullable [] summarize(Operation operation, double... percentiles) {
    Histogram h = byOperation[operation.ordinal()];
    if (h == null || h.getTotalCount() == 0) {
      return null;
    }
    long total = h.getTotalCount();
    double[] cached = summaries[operation.ordinal()];
    if (cached != null && cached[0] == total && cached.length == percentiles.length + 3) {
      return cached.clone();
    }
    long[] targets = new long[percentiles.length];
    for (int i = 0; i < percentiles.length; i++) {
      // HdrHistogram's own rounding of a percentile to a count.
      targets[i] = Math.max(1, (long) ((percentiles[i] / 100.0) * total + 0.5));
    }
    double[] result = new double[percentiles.length + 3];
    result[0] = total;
    double sum = 0;
    long seen = 0;
    int next = 0;
    for (HistogramIterationValue v : h.recordedValues()) {
      long value = v.getValueIteratedTo();
      long count = v.getCountAtValueIteratedTo();
      sum += (double) h.medianEquivalentValue(value) * count;
      seen += count;
      while (next < targets.length && seen >= targets[next]) {
        result[2 + next] = h.highestEquivalentValue(value);
        next++;
      }
    }
    result[1] = sum / total;
    result[result.length - 1] = h.getMaxValue();
    summaries[operation.ordinal()] = result;
    return result.clone();
  }
}
