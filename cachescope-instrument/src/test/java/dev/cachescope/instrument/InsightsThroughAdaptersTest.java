package dev.cachescope.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.cache.CacheBuilder;
import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.SizingAdvice;
import dev.cachescope.instrument.caffeine.CaffeineMonitoring;
import dev.cachescope.instrument.guava.GuavaMonitoring;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/** The adapters give the core what its insights need: bounds, TTLs and entries to measure. */
class InsightsThroughAdaptersTest {
  private final MetricsAggregator aggregator =
      MetricsAggregator.builder().publishInterval(Duration.ZERO).build();

  @AfterEach
  void close() {
    aggregator.close();
  }

  @Test
  void caffeineReportsItsBoundTtlAndEntries() {
    Cache<String, String> cache =
        CaffeineMonitoring.build(
            Caffeine.newBuilder().maximumSize(500).expireAfterWrite(Duration.ofMinutes(10)),
            aggregator,
            "rules");
    for (int i = 0; i < 300; i++) {
      cache.put("rule-" + i, "text of rule " + i);
    }
    aggregator.flush();
    int found = 0;
    for (int i = 0; i < 3_000; i++) {
      found += cache.getIfPresent("rule-" + (i % 400)) != null ? 1 : 0;
      if (i % 100 == 0) {
        aggregator.flush(); // as the publisher thread would
      }
    }
    CacheSnapshot snapshot = aggregator.snapshot("rules").orElseThrow();
    assertThat(snapshot.hits()).isEqualTo(found);
    SizingAdvice sizing = Objects.requireNonNull(snapshot.sizing());
    assertThat(sizing.currentSizeFrom()).isEqualTo("capacity");
    assertThat(sizing.currentSize()).isEqualTo(500);
    assertThat(snapshot.memoryMethod()).isEqualTo("sampled");
    long truth = 0;
    for (var e : cache.asMap().entrySet()) {
      truth += GraphLayout.parseInstance(e.getKey(), e.getValue()).totalSize();
    }
    assertThat((double) snapshot.memoryUsageBytes()).isBetween(truth * 0.9, truth * 1.1);
    assertThat(snapshot.hotKeys()).isNotEmpty();
    // Sampling entries for memory counted no lookups.
    assertThat(snapshot.gets()).isEqualTo(3_000);
  }

  @Test
  void mapsAndGuavaCachesAreMeasuredToo() {
    ConcurrentMap<Integer, String> map =
        MapMonitoring.monitor(new ConcurrentHashMap<>(), aggregator, "map");
    com.google.common.cache.Cache<Integer, String> guava =
        GuavaMonitoring.build(CacheBuilder.newBuilder().maximumSize(100), aggregator, "guava");
    for (int i = 0; i < 10; i++) {
      map.put(i, "v" + i);
      guava.put(i, "v" + i);
    }
    assertThat(aggregator.snapshot("map").orElseThrow().memoryMethod()).isEqualTo("measured");
    assertThat(aggregator.snapshot("map").orElseThrow().memoryUsageBytes()).isPositive();
    assertThat(aggregator.snapshot("guava").orElseThrow().memoryMethod()).isEqualTo("measured");
    assertThat(aggregator.snapshot("guava").orElseThrow().gets()).isZero();
  }
}
