package dev.cachescope.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachescope.Operation;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class LatencyHistogramsTest {

  /** The one-pass summary answers exactly what HdrHistogram's own per-percentile calls answer. */
  @Test
  void summarizeAgreesWithHdrHistogramsOwnQueries() {
    LatencyHistograms latencies = new LatencyHistograms();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 50_000; i++) {
      latencies.record(
          Operation.GET,
          (long) (500 * Math.exp(random.nextGaussian() * 2)),
          1 + random.nextInt(64));
    }
    Histogram h = Objects.requireNonNull(latencies.of(Operation.GET));
    LatencyHistograms.Distribution d =
        Objects.requireNonNull(latencies.summarize(Operation.GET, 50, 95, 99, 99.9));

    assertThat(d.count()).isEqualTo(h.getTotalCount());
    assertThat(d.meanNanos()).isCloseTo(h.getMean(), Offset.offset(h.getMean() * 1e-9));
    assertThat(d.percentileNanos())
        .containsExactly(
            h.getValueAtPercentile(50),
            h.getValueAtPercentile(95),
            h.getValueAtPercentile(99),
            h.getValueAtPercentile(99.9));
    assertThat(d.maxNanos()).isEqualTo(h.getMaxValue());
    assertThat(latencies.summarize(Operation.SET, 50)).isNull();
  }

  /**
   * The fixed buckets and the sum against ground truth the test keeps itself: every duration
   * counted with its weight in the bucket whose bound it does not exceed, except within the
   * histogram's 1% precision of a bound; the sum exact.
   */
  @Test
  void bucketsAndSumMatchTheRecordedDurations() {
    LatencyHistograms latencies = new LatencyHistograms();
    long[] bounds = LatencyHistograms.BUCKET_BOUNDS_NANOS;
    long[] expected = new long[bounds.length + 1];
    long[] nearABound = new long[bounds.length + 1];
    long sum = 0;
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 200_000; i++) {
      long nanos = Math.max(1, (long) (Math.pow(10, 1 + random.nextDouble() * 10.5)));
      long weight = 1 + random.nextInt(100);
      latencies.record(Operation.LOAD, nanos, weight);
      long recorded = Math.min(nanos, LatencyHistograms.HIGHEST_NANOS);
      sum += recorded * weight;
      int b = 0;
      while (b < bounds.length && recorded > bounds[b]) {
        b++;
      }
      expected[b] += weight;
      boolean close =
          (b < bounds.length && recorded > bounds[b] * 0.99)
              || (b > 0 && recorded < bounds[b - 1] * 1.01);
      if (close) {
        nearABound[b] += weight;
      }
    }
    LatencyHistograms.Distribution d =
        Objects.requireNonNull(latencies.summarize(Operation.LOAD, 99));

    assertThat(d.sumNanos()).isEqualTo(sum);
    assertThat(d.bucketCounts()).hasSize(bounds.length + 1);
    assertThat(Arrays.stream(d.bucketCounts()).sum()).isEqualTo(d.count());
    for (int b = 0; b <= bounds.length; b++) {
      long slack =
          nearABound[b]
              + (b > 0 ? nearABound[b - 1] : 0)
              + (b < bounds.length ? nearABound[b + 1] : 0);
      assertThat(d.bucketCounts()[b])
          .as("bucket %d (le %s ns)", b, b < bounds.length ? bounds[b] : "+Inf")
          .isCloseTo(expected[b], Offset.offset(slack));
    }
    assertThat(expected[0]).isPositive();
    assertThat(expected[bounds.length]).isPositive();
  }
}
