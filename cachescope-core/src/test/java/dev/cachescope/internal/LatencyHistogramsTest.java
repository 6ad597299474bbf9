package dev.cachescope.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachescope.Operation;
import java.util.Objects;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
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
    double[] s = Objects.requireNonNull(latencies.summarize(Operation.GET, 50, 95, 99, 99.9));

    assertThat(s[0]).isEqualTo(h.getTotalCount());
    assertThat(s[1])
        .isCloseTo(h.getMean(), org.assertj.core.data.Offset.offset(h.getMean() * 1e-9));
    assertThat(s[2]).isEqualTo(h.getValueAtPercentile(50));
    assertThat(s[3]).isEqualTo(h.getValueAtPercentile(95));
    assertThat(s[4]).isEqualTo(h.getValueAtPercentile(99));
    assertThat(s[5]).isEqualTo(h.getValueAtPercentile(99.9));
    assertThat(s[6]).isEqualTo(h.getMaxValue());
    assertThat(latencies.summarize(Operation.SET, 50)).isNull();
  }
}
