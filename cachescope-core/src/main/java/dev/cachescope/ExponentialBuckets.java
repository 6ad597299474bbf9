package dev.cachescope;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A duration distribution over exponential buckets, as Prometheus native histograms and
 * OpenTelemetry exponential histograms have them: bucket {@code i} holds the durations above {@code
 * 2^((i - 1) / 2^schema)} and up to {@code 2^(i / 2^schema)} seconds. At {@link #SCHEMA} 4 a bucket
 * is 4.4% wide, and the same durations fall in the same buckets on every instance, so the counts of
 * several JVMs add up to a fleet's distribution at that resolution.
 *
 * <p>Filled from the same HdrHistogram as the percentiles (two significant digits; a recorded value
 * goes by the middle of its HdrHistogram bucket).
 *
 * <p>Immutable; the counts are kept as an array (a snapshot holds a few hundred of them per
 * operation type, taken on every scrape), so {@link #counts()} returns a copy and {@link
 * #count(int)} reads one.
 *
 * @param schema the resolution: {@code 2^schema} buckets per doubling
 * @param offset the index of the first element of {@code counts}
 * @param counts operations per bucket, not cumulative, from index {@code offset} on (elements may
 *     be 0); they add up to the distribution's count
 */
public record ExponentialBuckets(int schema, int offset, long[] counts) {
  /** The schema cachescope fills: 16 buckets per doubling. */
  public static final int SCHEMA = 4;

  /** Copies {@code counts}. */
  public ExponentialBuckets {
    counts = counts.clone();
  }

  /** A copy of the counts. */
  @Override
  public long[] counts() {
    return counts.clone();
  }

  /** How many buckets, from {@code offset} on, the counts cover. */
  public int size() {
    return counts.length;
  }

  /** The count of the bucket at position {@code i} (index {@code offset + i}). */
  public long count(int i) {
    return counts[i];
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ExponentialBuckets that
        && schema == that.schema
        && offset == that.offset
        && Arrays.equals(counts, that.counts);
  }

  @Override
  public int hashCode() {
    return (schema * 31 + offset) * 31 + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "ExponentialBuckets[schema="
        + schema
        + ", offset="
        + offset
        + ", counts="
        + Arrays.toString(counts)
        + "]";
  }

  /** The bucket index that holds {@code seconds} (above 0) at {@code schema}. */
  public static int index(double seconds, int schema) {
    return (int) Math.ceil(Math.log(seconds) / Math.log(2) * (1 << schema) - 1e-9);
  }

  /** The upper bound in seconds of the bucket at {@code index}. */
  public static double upperBoundSeconds(int index, int schema) {
    return Math.pow(2, (double) index / (1 << schema));
  }
}
