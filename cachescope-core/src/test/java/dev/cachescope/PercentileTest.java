package dev.cachescope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PercentileTest {

  /** Nearest-rank percentile over the exact samples, the definition HdrHistogram follows. */
  private static double exact(long[] sortedNanos, double percentile) {
    int rank = (int) Math.ceil(percentile / 100.0 * sortedNanos.length);
    return sortedNanos[Math.max(0, rank - 1)] / 1e6;
  }

  @Test
  void percentilesMatchAnExactComputationOverTheSameSamples() {
    FakeTicker ticker = new FakeTicker();
    CacheMonitor monitor = CacheMonitor.builder("c").ticker(ticker).fullFidelity().build();
    SplittableRandom random = new SplittableRandom(42);
    int n = 20_000;
    long[] durations = new long[n];
    for (int i = 0; i < n; i++) {
      // Log-normal-ish: mostly microseconds, a tail into tens of milliseconds.
      durations[i] = (long) (1_000 * Math.exp(random.nextGaussian() * 1.5 + 2));
      long start = monitor.startLookup();
      ticker.advanceNanos(durations[i]);
      monitor.recordMiss(start, null, i);
      if (i % 200 == 0) {
        monitor.publish();
      }
    }
    Arrays.sort(durations);

    LatencySummary get = Objects.requireNonNull(monitor.snapshot().latencyMs().get("get"));

    // Two significant digits: every value is within 1% of the exact one.
    assertThat(get.count()).isEqualTo(n);
    assertThat(get.p50Ms()).isCloseTo(exact(durations, 50), within(exact(durations, 50) * 0.01));
    assertThat(get.p95Ms()).isCloseTo(exact(durations, 95), within(exact(durations, 95) * 0.01));
    assertThat(get.p99Ms()).isCloseTo(exact(durations, 99), within(exact(durations, 99) * 0.01));
    assertThat(get.p999Ms())
        .isCloseTo(exact(durations, 99.9), within(exact(durations, 99.9) * 0.01));
    assertThat(get.maxMs())
        .isCloseTo(durations[n - 1] / 1e6, within(durations[n - 1] / 1e6 * 0.01));
    double mean = Arrays.stream(durations).average().orElseThrow() / 1e6;
    assertThat(get.meanMs()).isCloseTo(mean, within(mean * 0.01));
  }
}
