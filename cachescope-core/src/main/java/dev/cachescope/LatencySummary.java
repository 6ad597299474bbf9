package dev.cachescope;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The distribution of one operation type's durations since the monitor started, in milliseconds,
 * from an HdrHistogram with two significant digits. Sampled hits are counted with their weight, so
 * {@code count} estimates all operations of the type, timed or not.
 *
 * <p>{@code bucketCounts} is the same distribution over fixed buckets ({@link
 * #BUCKET_UPPER_BOUNDS_SECONDS}, the same for every cache and every JVM), which is what Prometheus
 * histograms publish: bucket counts only grow, so the counts of two snapshots subtract to the
 * distribution between them, and the counts of several JVMs add up to a fleet's.
 *
 * @param count operations the distribution stands for
 * @param meanMs mean duration
 * @param p50Ms median
 * @param p95Ms 95th percentile
 * @param p99Ms 99th percentile
 * @param p999Ms 99.9th percentile
 * @param maxMs largest duration recorded
 * @param sumMs the durations' sum, each timed operation times its weight (exact, where {@code
 *     meanMs} is read from the histogram's buckets)
 * @param bucketCounts operations per bucket, not cumulative: element {@code i} counts durations
 *     above bound {@code i - 1} up to bound {@code i}; the last element, one past the bounds,
 *     counts those above 10 s. They add up to {@code count}. Empty in snapshots written before they
 *     existed.
 * @param exponentialBuckets the same distribution over exponential buckets (Prometheus native
 *     histograms publish them); null in snapshots written before they existed. The JSON API leaves
 *     them out; {@code /metrics} serves them to a scraper that asks for protobuf.
 */
public record LatencySummary(
    long count,
    double meanMs,
    double p50Ms,
    double p95Ms,
    double p99Ms,
    double p999Ms,
    double maxMs,
    double sumMs,
    List<Long> bucketCounts,
    @Nullable ExponentialBuckets exponentialBuckets) {

  /**
   * The upper bounds of {@link #bucketCounts()}, in seconds: 1-2-5 steps from 100 ns to 10 s (25
   * bounds, then one bucket for everything above). A duration within 1% of a bound may be counted
   * on either side of it.
   */
  public static final List<Double> BUCKET_UPPER_BOUNDS_SECONDS =
      List.of(
          100e-9, 200e-9, 500e-9, 1e-6, 2e-6, 5e-6, 10e-6, 20e-6, 50e-6, 100e-6, 200e-6, 500e-6,
          1e-3, 2e-3, 5e-3, 10e-3, 20e-3, 50e-3, 100e-3, 200e-3, 500e-3, 1.0, 2.0, 5.0, 10.0);

  /**
   * Copies {@code bucketCounts}; a snapshot read from a file written before it existed has none.
   */
  public LatencySummary {
    bucketCounts = bucketCounts == null ? List.of() : List.copyOf(bucketCounts);
  }
}
