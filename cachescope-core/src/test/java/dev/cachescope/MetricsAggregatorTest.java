package dev.cachescope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class MetricsAggregatorTest {

  @Test
  void theSummaryHasTheDesignsFieldsAndAWeightedHitRate() {
    try (MetricsAggregator aggregator = manual()) {
      CacheMonitor busy = aggregator.register(CacheMonitor.create("busy"));
      CacheMonitor idle = aggregator.register(CacheMonitor.create("idle"));
      for (int i = 0; i < 90; i++) {
        busy.recordHit(CacheMonitor.NOT_TIMED, Source.MEMORY, null);
      }
      for (int i = 0; i < 10; i++) {
        busy.recordMiss(CacheMonitor.NOT_TIMED, null, null);
      }
      idle.recordMiss(CacheMonitor.NOT_TIMED, null, null);

      MetricsSummary summary = aggregator.summary();

      assertThat(summary.totalCaches()).isEqualTo(2);
      assertThat(summary.caches()).containsOnlyKeys("busy", "idle");
      // The seed design's plain average: (0.9 + 0.0) / 2. The weighted one: 90 / 101.
      assertThat(summary.averageHitRate()).isEqualTo(0.45);
      assertThat(summary.overallHitRate()).isEqualTo(90.0 / 101);
      assertThat(summary.totalRequests()).isEqualTo(101);
      assertThat(summary.timestamp())
          .isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(5.0));
    }
  }

  @Test
  void summaryTotalsAddUpTheCaches() {
    Map<String, String> a = new HashMap<>(Map.of("1", "x", "2", "y"));
    Map<String, String> b = new HashMap<>(Map.of("3", "z"));
    try (MetricsAggregator aggregator = manual()) {
      aggregator.register(CacheMonitor.builder("a").inspect(a, new Sized(1 << 20)).build());
      aggregator.register(CacheMonitor.builder("b").inspect(b, new Sized(1 << 19)).build());
      MetricsSummary summary = aggregator.summary();
      assertThat(summary.totalEntries()).isEqualTo(3);
      assertThat(summary.totalMemoryBytes()).isEqualTo((1 << 20) + (1 << 19));
      assertThat(summary.totalMemoryMb()).isEqualTo(1.5);
    }
  }

  @Test
  void registeringTwoCachesUnderOneNameIsRejected() {
    try (MetricsAggregator aggregator = manual()) {
      CacheMonitor first = aggregator.register(CacheMonitor.create("RuleCache"));
      assertThat(aggregator.register(first)).isSameAs(first);
      assertThatThrownBy(() -> aggregator.register(CacheMonitor.create("RuleCache")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'RuleCache' is already registered");
    }
  }

  @Test
  void aMonitorBelongsToOneAggregator() {
    try (MetricsAggregator one = manual();
        MetricsAggregator two = manual()) {
      CacheMonitor monitor = one.register(CacheMonitor.create("c"));
      assertThatThrownBy(() -> two.register(monitor)).isInstanceOf(IllegalStateException.class);
      assertThat(two.cacheNames()).isEmpty();
    }
  }

  @Test
  void registrationListenersHearOfPresentAndLaterCaches() {
    List<String> events = new CopyOnWriteArrayList<>();
    try (MetricsAggregator aggregator = manual()) {
      aggregator.register(CacheMonitor.create("early"));
      aggregator.addRegistrationListener(
          new RegistrationListener() {
            @Override
            public void registered(CacheMonitor monitor) {
              events.add("+" + monitor.name());
            }

            @Override
            public void unregistered(String name) {
              events.add("-" + name);
            }
          });
      CacheMonitor late = aggregator.register(CacheMonitor.create("late"));
      aggregator.register(late);
      aggregator.unregister("early");
    }
    assertThat(events).containsExactly("+early", "+late", "-early");
  }

  @Test
  void unregisteringStopsReporting() {
    try (MetricsAggregator aggregator = manual()) {
      aggregator.register(CacheMonitor.create("c"));
      assertThat(aggregator.unregister("c")).isTrue();
      assertThat(aggregator.unregister("c")).isFalse();
      assertThat(aggregator.snapshot("c")).isEmpty();
      assertThat(aggregator.summary().totalCaches()).isZero();
    }
  }

  @Test
  void thePublisherDrainsOperationsToListenersOffTheCallersThread() {
    List<String> threads = new CopyOnWriteArrayList<>();
    List<CacheOperation> seen = new CopyOnWriteArrayList<>();
    try (MetricsAggregator aggregator =
        MetricsAggregator.builder().publishInterval(Duration.ofMillis(10)).build()) {
      aggregator.addListener(
          (name, ops) -> {
            threads.add(Thread.currentThread().getName());
            seen.addAll(ops);
          });
      CacheMonitor monitor = aggregator.register(CacheMonitor.create("c"));
      for (int i = 0; i < 5; i++) {
        monitor.recordPut(monitor.startTimed(), i, i);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 5);
    }
    assertThat(threads).containsOnly("cachescope-publisher");
    assertThat(seen).extracting(CacheOperation::sizeBytes).containsExactly(0L, 1L, 2L, 3L, 4L);
  }

  @Test
  void aFailingListenerIsAFaultAndOthersStillReceive() {
    List<CacheOperation> seen = new ArrayList<>();
    try (MetricsAggregator aggregator = manual()) {
      aggregator.addListener(
          (name, ops) -> {
            throw new IllegalStateException("listener broke");
          });
      aggregator.addListener((name, ops) -> seen.addAll(ops));
      CacheMonitor monitor = aggregator.register(CacheMonitor.create("c"));
      monitor.recordMiss(CacheMonitor.NOT_TIMED, null, "k");
      aggregator.flush();
      assertThat(seen).hasSize(1);
      assertThat(monitor.snapshot().monitoringFaults()).isEqualTo(1);
    }
  }

  @Test
  void closeStopsThePublisherThread() {
    MetricsAggregator aggregator = MetricsAggregator.builder().threadName("stop-me").build();
    assertThat(publisherAlive("stop-me")).isTrue();
    aggregator.close();
    aggregator.close();
    assertThat(publisherAlive("stop-me")).isFalse();
    assertThatThrownBy(() -> aggregator.register(CacheMonitor.create("c")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aMonitorWhoseCacheIsCollectedIsDroppedAndKeepsNoCacheAlive() {
    try (MetricsAggregator aggregator = manual()) {
      registerThrowaway(aggregator);
      assertThat(aggregator.cacheNames()).containsExactly("throwaway");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                System.gc();
                aggregator.flush();
                return aggregator.cacheNames().isEmpty();
              });
    }
  }

  @Test
  void theGlobalAggregatorIsOneAndStaysOpen() {
    MetricsAggregator global = MetricsAggregator.global();
    assertThat(MetricsAggregator.global()).isSameAs(global);
    CacheMonitor monitor = global.register(CacheMonitor.create("global-test"));
    try {
      monitor.recordHit(CacheMonitor.NOT_TIMED, Source.MEMORY, null);
      assertThat(global.snapshot("global-test").orElseThrow().hits()).isEqualTo(1);
      assertThat(publisherAlive("cachescope-publisher-global")).isTrue();
    } finally {
      global.unregister("global-test");
    }
  }

  private static void registerThrowaway(MetricsAggregator aggregator) {
    Map<String, byte[]> cache = new HashMap<>();
    cache.put("big", new byte[1 << 20]);
    aggregator.register(CacheMonitor.builder("throwaway").inspect(cache, Map::size).build());
  }

  private static boolean publisherAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }

  private static MetricsAggregator manual() {
    return MetricsAggregator.builder().publishInterval(Duration.ZERO).build();
  }

  private static final class Sized implements CacheInspector<Map<String, String>> {
    private final long bytes;

    Sized(long bytes) {
      this.bytes = bytes;
    }

    @Override
    public long entries(Map<String, String> cache) {
      return cache.size();
    }

    @Override
    public long memoryBytes(Map<String, String> cache) {
      return bytes;
    }
  }
}
