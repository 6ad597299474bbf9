package dev.cachescope.instrument.caffeine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.cachescope.CacheMonitor;
import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CaffeineMonitoringTest {
  private final MetricsAggregator aggregator =
      MetricsAggregator.builder().publishInterval(Duration.ZERO).build();

  @AfterEach
  void close() {
    aggregator.close();
  }

  private CacheSnapshot snapshot(String name) {
    return aggregator.snapshot(name).orElseThrow();
  }

  @Test
  void aLoadingCacheCountsHitsMissesAndLoadsAsCaffeineReportsThem() {
    LoadingCache<Integer, String> cache =
        CaffeineMonitoring.build(
            Caffeine.newBuilder().executor(Runnable::run), key -> "v" + key, aggregator, "loading");
    assertThat(cache.get(1)).isEqualTo("v1");
    assertThat(cache.get(1)).isEqualTo("v1");
    assertThat(cache.get(2)).isEqualTo("v2");
    Map<Integer, String> all = cache.getAll(List.of(1, 2, 3, 3));

    assertThat(all).containsOnlyKeys(1, 2, 3);
    CacheSnapshot s = snapshot("loading");
    assertThat(s.hits()).isEqualTo(3); // get(1) again, and 1, 2 in getAll
    assertThat(s.misses()).isEqualTo(3); // get(1), get(2), 3 in getAll
    assertThat(s.loads()).isEqualTo(3);
    assertThat(s.latencyMs()).containsKey("load");
  }

  @Test
  void caffeinesOwnStatsStayCaffeinesAndAgreeWithTheMonitor() {
    Cache<String, String> cache =
        CaffeineMonitoring.build(
            Caffeine.newBuilder().recordStats().executor(Runnable::run), aggregator, "s");
    cache.put("a", "1");
    assertThat(cache.getIfPresent("a")).isEqualTo("1");
    assertThat(cache.get("b", k -> "2")).isEqualTo("2");

    CacheStats stats = cache.stats();
    CacheSnapshot s = snapshot("s");
    // Caffeine counts the wrapper's look before the load as a second miss of "b".
    assertThat(stats.hitCount()).isEqualTo(s.hits()).isEqualTo(1);
    assertThat(s.misses()).isEqualTo(1);
    assertThat(stats.loadSuccessCount()).isEqualTo(s.loads()).isEqualTo(1);
  }

  @Test
  void customMetricsShowThePolicy() {
    CaffeineMonitoring.build(
        Caffeine.newBuilder().maximumSize(500).expireAfterAccess(Duration.ofMinutes(10)),
        aggregator,
        "policy");
    assertThat(snapshot("policy").customMetrics())
        .containsEntry("maximum_size", 500L)
        .containsEntry("expire_after_access_seconds", 600L);
  }

  @Test
  void aBuilderWithItsOwnEvictionListenerIsRejectedWithAFix() {
    assertThatThrownBy(
            () ->
                CaffeineMonitoring.build(
                    Caffeine.newBuilder().evictionListener((k, v, cause) -> {}), aggregator, "dup"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("removalListener")
        .hasMessageContaining("'dup'");
    assertThat(aggregator.cacheNames()).doesNotContain("dup");
  }

  @Test
  void theStatsCounterAloneCountsWhatCaffeineSees() {
    CacheMonitor monitor = aggregator.register(CacheMonitor.create("attached"));
    LoadingCache<String, String> cache =
        Caffeine.newBuilder()
            .maximumSize(1)
            .executor(Runnable::run)
            .recordStats(() -> CaffeineMonitoring.statsCounter(monitor))
            .build(key -> key.toUpperCase(java.util.Locale.ROOT));
    monitor.inspect(cache, Cache::estimatedSize);
    assertThat(cache.get("a")).isEqualTo("A");
    assertThat(cache.get("a")).isEqualTo("A");
    assertThat(cache.get("b")).isEqualTo("B");
    cache.cleanUp();

    CacheSnapshot s = snapshot("attached");
    assertThat(s.hits()).isEqualTo(1);
    assertThat(s.misses()).isEqualTo(2);
    assertThat(s.loads()).isEqualTo(2);
    assertThat(s.evictions()).isEqualTo(1);
    assertThat(s.totalEntries()).isEqualTo(1);
  }

  @Test
  void anAsyncPutIsAPutAndAnAsyncMissLoadsWhenItsFutureCompletes() {
    AsyncCache<String, String> cache =
        CaffeineMonitoring.buildAsync(
            Caffeine.newBuilder().executor(Runnable::run), aggregator, "a");
    cache.put("k", CompletableFuture.completedFuture("v"));
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletableFuture<String> loaded = cache.get("slow", (key, executor) -> pending);
    assertThat(snapshot("a").loads()).isZero();
    pending.complete("done");
    assertThat(loaded.join()).isEqualTo("done");
    CacheSnapshot s = snapshot("a");
    assertThat(s.puts()).isEqualTo(1);
    assertThat(s.misses()).isEqualTo(1);
    assertThat(s.loads()).isEqualTo(1);
  }

  @Test
  void anAsyncLoadingCacheCountsItsSynchronousViewToo() {
    AsyncLoadingCache<String, String> cache =
        CaffeineMonitoring.buildAsync(
            Caffeine.newBuilder().executor(Runnable::run),
            (CacheLoader<String, String>) key -> key + "!",
            aggregator,
            "al");
    assertThat(cache.get("x").join()).isEqualTo("x!");
    assertThat(cache.synchronous().get("x")).isEqualTo("x!");
    assertThat(cache.asMap().get("x")).isNotNull();
    CacheSnapshot s = snapshot("al");
    assertThat(s.misses()).isEqualTo(1);
    assertThat(s.hits()).isEqualTo(2);
    assertThat(s.loads()).isEqualTo(1);
  }

  @Test
  void keysStayPrivateUnlessTracked() {
    Cache<String, String> hidden =
        CaffeineMonitoring.build(Caffeine.newBuilder(), aggregator, "hidden");
    Cache<String, String> shown =
        CaffeineMonitoring.build(
            Caffeine.newBuilder(), aggregator, CacheMonitor.builder("shown").trackKeys(true));
    assertThat(hidden.getIfPresent("alice@example.com")).isNull();
    assertThat(shown.getIfPresent("alice@example.com")).isNull();
    assertThat(aggregator.monitor("hidden").orElseThrow().recentOperations(10).toString())
        .doesNotContain("alice");
    assertThat(aggregator.monitor("shown").orElseThrow().recentOperations(10).get(0).key())
        .isEqualTo("alice@example.com");
  }
}
