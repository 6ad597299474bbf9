package dev.cachescope.internal;

import dev.cachescope.Operation;
import org.HdrHistogram.Histogram;
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

  /** Adds one timed record that stands for {@code weight} operations. */
  public void record(Operation operation, long durationNanos, long weight) {
    Histogram histogram = byOperation[operation.ordinal()];
    if (histogram == null) {
      histogram = new Histogram(1, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
      byOperation[operation.ordinal()] = histogram;
    }
    histogram.recordValueWithCount(Math.max(1, Math.min(durationNanos, HIGHEST_NANOS)), weight);
  }

  /** The histogram of {@code operation}, or {@code null} if it was never timed. Do not modify. */
  public @Nullable Histogram of(Operation operation) {
    return byOperation[operation.ordinal()];
  }
}
