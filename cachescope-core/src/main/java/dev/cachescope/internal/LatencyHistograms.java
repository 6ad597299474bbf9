package dev.cachescope.internal;

import dev.cachescope.ExponentialBuckets;
import dev.cachescope.LatencySummary;
import dev.cachescope.Operation;
import java.util.Arrays;
import java.util.List;
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

  /** The upper bounds of the fixed buckets, in nanoseconds ({@link LatencySummary}'s). */
  public static final long[] BUCKET_BOUNDS_NANOS = boundsNanos();

  /** The ratio of one exponential bucket's bound to the previous one's. */
  private static final double EXPONENTIAL_GROWTH =
      Math.pow(2, 1.0 / (1 << ExponentialBuckets.SCHEMA));

  /** The last summary of each histogram, computed at its {@code count}. */
  private final @Nullable Distribution[] summaries = new Distribution[Operation.values().length];

  /** The exact weighted sum of each operation type's recorded durations. */
  private final long[] sumNanos = new long[Operation.values().length];

  /** Lookup and load times since the last {@link #takeIntervalBuckets}, over the fixed buckets. */
  private final int[] @Nullable [] intervalBuckets = new int[Operation.values().length][];

  /** Adds one timed record that stands for {@code weight} operations. */
  public void record(Operation operation, long durationNanos, long weight) {
    Histogram histogram = byOperation[operation.ordinal()];
    if (histogram == null) {
      histogram = new Histogram(1, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
      byOperation[operation.ordinal()] = histogram;
    }
    long value = Math.max(1, Math.min(durationNanos, HIGHEST_NANOS));
    histogram.recordValueWithCount(value, weight);
    sumNanos[operation.ordinal()] += value * weight;
    if (operation == Operation.GET || operation == Operation.LOAD) {
      int[] interval = intervalBuckets[operation.ordinal()];
      if (interval == null) {
        interval = new int[BUCKET_BOUNDS_NANOS.length + 1];
        intervalBuckets[operation.ordinal()] = interval;
      }
      int bucket = bucketOf(value);
      interval[bucket] = (int) Math.min(Integer.MAX_VALUE, (long) interval[bucket] + weight);
    }
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

  /**
   * The lookup ({@link Operation#GET}) or load ({@link Operation#LOAD}) times recorded since the
   * previous call, per fixed bucket (as {@link Distribution#bucketCounts}, by the exact duration; a
   * count past {@link Integer#MAX_VALUE} stays there), or {@code null} if none was; starts the next
   * interval. The array is the caller's.
   */
  public int @Nullable [] takeIntervalBuckets(Operation operation) {
    int[] interval = intervalBuckets[operation.ordinal()];
    intervalBuckets[operation.ordinal()] = null;
    return interval;
  }

  /** The index of the fixed bucket that holds {@code nanos}: the first bound not below it. */
  static int bucketOf(long nanos) {
    int low = 0;
    int high = BUCKET_BOUNDS_NANOS.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (BUCKET_BOUNDS_NANOS[middle] < nanos) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  /** The histogram of {@code operation}, or {@code null} if it was never timed. Do not modify. */
  public @Nullable Histogram of(Operation operation) {
    return byOperation[operation.ordinal()];
  }

  /**
   * One operation type's distribution, read in one pass over the recorded buckets.
   *
   * @param count operations recorded (weighted)
   * @param meanNanos mean duration, from the histogram's buckets
   * @param percentileNanos one value per requested percentile, each what HdrHistogram's {@code
   *     getValueAtPercentile} returns
   * @param maxNanos the largest duration recorded
   * @param sumNanos the exact sum of the recorded durations, each times its weight
   * @param bucketCounts operations per fixed bucket of {@link #BUCKET_BOUNDS_NANOS}, not
   *     cumulative; the last element counts those above the largest bound
   * @param exponentialOffset the exponential bucket index of {@code exponentialCounts[0]}
   * @param exponentialCounts operations per exponential bucket at {@link
   *     ExponentialBuckets#SCHEMA}, not cumulative
   */
  public record Distribution(
      long count,
      double meanNanos,
      double[] percentileNanos,
      double maxNanos,
      long sumNanos,
      long[] bucketCounts,
      int exponentialOffset,
      long[] exponentialCounts) {}

  /**
   * The distribution of {@code operation}'s durations with the given percentiles, or {@code null}
   * if it was never timed. One pass over the recorded buckets answers all of it, and a histogram
   * that recorded nothing since its last summary is not walked again.
   *
   * <p>A recorded value goes to the first fixed bucket whose bound is at least the middle of the
   * HdrHistogram bucket that holds it, so a duration within 1% of a bound may fall on either side.
   */
  public @Nullable Distribution summarize(Operation operation, double... percentiles) {
    Histogram h = byOperation[operation.ordinal()];
    if (h == null || h.getTotalCount() == 0) {
      return null;
    }
    long total = h.getTotalCount();
    Distribution cached = summaries[operation.ordinal()];
    if (cached != null
        && cached.count() == total
        && cached.percentileNanos().length == percentiles.length) {
      return cached;
    }
    long[] targets = new long[percentiles.length];
    for (int i = 0; i < percentiles.length; i++) {
      // HdrHistogram's own rounding of a percentile to a count.
      targets[i] = Math.max(1, (long) ((percentiles[i] / 100.0) * total + 0.5));
    }
    double[] values = new double[percentiles.length];
    long[] buckets = new long[BUCKET_BOUNDS_NANOS.length + 1];
    double sum = 0;
    long seen = 0;
    int next = 0;
    int bucket = 0;
    int firstIndex = Integer.MIN_VALUE;
    int index = 0;
    double bound = 0;
    long[] exponential = new long[64];
    for (HistogramIterationValue v : h.recordedValues()) {
      long value = v.getValueIteratedTo();
      long count = v.getCountAtValueIteratedTo();
      long median = h.medianEquivalentValue(value);
      sum += (double) median * count;
      seen += count;
      while (next < targets.length && seen >= targets[next]) {
        values[next] = h.highestEquivalentValue(value);
        next++;
      }
      while (bucket < BUCKET_BOUNDS_NANOS.length && median > BUCKET_BOUNDS_NANOS[bucket]) {
        bucket++;
      }
      buckets[bucket] += count;
      double seconds = median / 1e9;
      if (firstIndex == Integer.MIN_VALUE) {
        // Values come in ascending order: the first is the smallest. One logarithm for it; the
        // later ones step through the bounds, a multiplication each.
        index = ExponentialBuckets.index(seconds, ExponentialBuckets.SCHEMA);
        firstIndex = index;
        bound = ExponentialBuckets.upperBoundSeconds(index, ExponentialBuckets.SCHEMA);
      }
      while (seconds > bound) {
        index++;
        bound *= EXPONENTIAL_GROWTH;
      }
      int at = index - firstIndex;
      if (at >= exponential.length) {
        exponential = Arrays.copyOf(exponential, Math.max(at + 1, exponential.length * 2));
      }
      exponential[at] += count;
    }
    int used = exponential.length;
    while (used > 1 && exponential[used - 1] == 0) {
      used--;
    }
    Distribution result =
        new Distribution(
            total,
            sum / total,
            values,
            h.getMaxValue(),
            sumNanos[operation.ordinal()],
            buckets,
            firstIndex,
            Arrays.copyOf(exponential, used));
    summaries[operation.ordinal()] = result;
    return result;
  }

  private static long[] boundsNanos() {
    List<Double> seconds = LatencySummary.BUCKET_UPPER_BOUNDS_SECONDS;
    long[] nanos = new long[seconds.size()];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = Math.round(seconds.get(i) * 1e9);
    }
    return nanos;
  }
}
