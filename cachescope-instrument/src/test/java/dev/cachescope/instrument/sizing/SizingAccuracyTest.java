package dev.cachescope.instrument.sizing;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.SizingAdvice;
import dev.cachescope.instrument.caffeine.CaffeineMonitoring;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sizing advice is true where users read it: each public trace is replayed through a cache built
 * with {@code CaffeineMonitoring} (getIfPresent, put on a miss), as a new user would, and the
 * snapshot's curves are compared with ground truth this test computes itself: an exact LRU
 * simulation and a real Caffeine cache of each size over the same keys.
 */
class SizingAccuracyTest {
  private static final double[] MULTIPLIERS = {0.25, 0.5, 1, 2, 4};

  @ParameterizedTest(name = "{0} at {1}, flush every {2} (0: the publisher only)")
  @CsvSource({
    "cache2k-web07.trace.xz, 2000, 0",
    "cache2k-web07.trace.xz, 2000, 512",
    "lirs-multi1.trace.gz, 500, 0",
    "lirs-multi1.trace.gz, 500, 512",
    "lirs-sprite.trace.gz, 1000, 0",
    "lirs-sprite.trace.gz, 1000, 512",
  })
  void curvesMatchExactLruAndRealCaffeine(String trace, int size, int flushEvery)
      throws IOException {
    int[] keys = Traces.keys(trace);
    SizingAdvice sizing;
    long hits = 0;
    try (MetricsAggregator aggregator = MetricsAggregator.builder().build()) {
      Cache<Integer, Integer> cache =
          CaffeineMonitoring.build(Caffeine.newBuilder().maximumSize(size), aggregator, "trace");
      for (int i = 0; i < keys.length; i++) {
        Integer key = keys[i];
        if (cache.getIfPresent(key) != null) {
          hits++;
        } else {
          cache.put(key, key);
        }
        if (flushEvery > 0 && i % flushEvery == flushEvery - 1) {
          aggregator.flush();
        }
      }
      CacheSnapshot snapshot = aggregator.snapshot("trace").orElseThrow();
      assertThat(snapshot.hits()).isEqualTo(hits);
      sizing = Objects.requireNonNull(snapshot.sizing());
    }
    double realHitRate = (double) hits / keys.length;

    double[] lru = new double[MULTIPLIERS.length];
    double[] caffeine = new double[MULTIPLIERS.length];
    for (int i = 0; i < MULTIPLIERS.length; i++) {
      long atSize = Math.round(size * MULTIPLIERS[i]);
      lru[i] = exactLru(keys, atSize);
      caffeine[i] = realCaffeine(keys, atSize);
    }
    double lruError = meanAbsoluteError(sizing.lruHitRateAtSize(), lru);
    double modelError = meanAbsoluteError(sizing.hitRateAtSize(), caffeine);
    double atOne = Objects.requireNonNull(sizing.hitRateAtSize().get(2).hitRate());
    double trueModelError = atOne - realHitRate;
    System.out.printf(
        Locale.ROOT,
        "%s size %d flush %d: rate %.4f keys %d | LRU MAE %.4f | caffeine MAE %.4f"
            + " | model_error %.4f (truth %.4f) | real %.4f%n  lru  %s%n  est  %s%n  caff %s%n"
            + "  est  %s%n",
        trace,
        size,
        flushEvery,
        sizing.sampleRate(),
        sizing.sampledKeys(),
        lruError,
        modelError,
        sizing.modelError(),
        trueModelError,
        realHitRate,
        format(lru),
        sizing.lruHitRateAtSize(),
        format(caffeine),
        sizing.hitRateAtSize());

    assertThat(sizing.model()).isEqualTo("caffeine");
    assertThat(lruError)
        .as("LRU curve vs exact LRU, mean absolute error")
        .isLessThanOrEqualTo(0.01);
    assertThat(modelError)
        .as("Caffeine curve vs real Caffeine caches, mean absolute error")
        .isLessThanOrEqualTo(0.02);
    assertThat(Objects.requireNonNull(sizing.modelError()))
        .as("model_error vs the curve at 1x minus the cache's real hit rate")
        .isBetween(trueModelError - 0.02, trueModelError + 0.02);
  }

  private static double meanAbsoluteError(List<SizingAdvice.SizePoint> curve, double[] truth) {
    assertThat(curve).hasSize(truth.length);
    double sum = 0;
    for (int i = 0; i < truth.length; i++) {
      sum += Math.abs(Objects.requireNonNull(curve.get(i).hitRate()) - truth[i]);
    }
    return sum / truth.length;
  }

  /** An exact LRU cache of {@code size} entries over the keys: hits over all references. */
  static double exactLru(int[] keys, long size) {
    Map<Integer, Boolean> lru =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
            return size() > size;
          }
        };
    long hits = 0;
    for (int key : keys) {
      if (lru.get(key) != null) {
        hits++;
      } else {
        lru.put(key, Boolean.TRUE);
      }
    }
    return (double) hits / keys.length;
  }

  /** A real Caffeine cache of {@code size} entries, evicting on the caller's thread. */
  static double realCaffeine(int[] keys, long size) {
    Cache<Integer, Boolean> cache =
        Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
    long hits = 0;
    for (int key : keys) {
      if (cache.getIfPresent(key) != null) {
        hits++;
      } else {
        cache.put(key, Boolean.TRUE);
      }
    }
    return (double) hits / keys.length;
  }

  private static String format(double[] values) {
    StringBuilder b = new StringBuilder();
    for (double v : values) {
      b.append(String.format(Locale.ROOT, "%.4f ", v));
    }
    return b.toString();
  }
}
