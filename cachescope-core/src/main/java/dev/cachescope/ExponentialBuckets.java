package dev.cachescope;

import java.util.List;

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
 * @param schema the resolution: {@code 2^schema} buckets per doubling
 * @param offset the index of the first element of {@code counts}
 * @param counts operations per bucket, not cumulative, from index {@code offset} on (elements may
 *     be 0); they add up to the distribution's count
 */
public record ExponentialBuckets(int schema, int offset, List<Long> counts) {
  /** The schema cachescope fills: 16 buckets per doubling. */
  public static final int SCHEMA = 4;

  /** Copies {@code counts}. */
  public ExponentialBuckets {
    counts = List.copyOf(counts);
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
