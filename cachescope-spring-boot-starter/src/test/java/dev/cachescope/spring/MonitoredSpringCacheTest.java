package dev.cachescope.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cachescope.CacheSnapshot;
import dev.cachescope.LatencySummary;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.config.MonitoringConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;

/** The decorator's counting rules for the calls the compatibility kit does not make. */
class MonitoredSpringCacheTest {
  private final MetricsAggregator aggregator =
      MetricsAggregator.builder().publishInterval(Duration.ZERO).build();
  private final MonitoredCaches caches =
      new MonitoredCaches(aggregator, MonitoringConfig.defaults(), OperationTracer.NONE);

  @AfterEach
  void close() {
    aggregator.close();
  }

  private Cache monitored(org.springframework.cache.CacheManager manager, String name) {
    return caches.forManager("cacheManager").wrap(Objects.requireNonNull(manager.getCache(name)));
  }

  private CacheSnapshot snapshot(String name) {
    return aggregator.snapshot(name).orElseThrow();
  }

  @Test
  void asyncRetrievalCountsWhenTheFutureCompletes() {
    CaffeineCacheManager manager = new CaffeineCacheManager();
    manager.setAsyncCacheMode(true);
    Cache cache = monitored(manager, "async");

    CompletableFuture<String> loaded =
        cache.retrieve("k", () -> CompletableFuture.supplyAsync(() -> "v"));
    assertThat(loaded.join()).isEqualTo("v");
    CompletableFuture<?> hit = Objects.requireNonNull(cache.retrieve("k"));
    assertThat(hit.join()).isInstanceOf(Cache.ValueWrapper.class);
    assertThat(((Cache.ValueWrapper) hit.join()).get()).isEqualTo("v");
    CompletableFuture<?> miss = cache.retrieve("absent");
    if (miss != null) {
      assertThat(miss.join()).isNull();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              CacheSnapshot s = snapshot("async");
              assertThat(s.hits()).isEqualTo(1);
              assertThat(s.misses()).isEqualTo(2);
              assertThat(s.loads()).isEqualTo(1);
            });
  }

  @Test
  void aQuietCacheHasPercentilesFromItsFirstLookups() {
    // 50 lookups on one cache (a quiet application): each is timed, so p50 and p99 exist.
    Cache cache = monitored(new ConcurrentMapCacheManager(), "quiet");
    cache.put("k", "v");
    for (int i = 0; i < 50; i++) {
      assertThat(cache.get("k")).isNotNull();
    }
    LatencySummary get = Objects.requireNonNull(snapshot("quiet").latencyMs().get("get"));
    assertThat(get.count()).isEqualTo(50);
    assertThat(get.p50Ms()).isPositive();
    assertThat(get.p99Ms()).isGreaterThanOrEqualTo(get.p50Ms());
  }

  @Test
  void putIfAbsentIsAPutWhenItWritesAndAHitWhenAValueWasThere() {
    Cache cache = monitored(new ConcurrentMapCacheManager(), "c");
    assertThat(cache.putIfAbsent("k", "v1")).isNull();
    assertThat(Objects.requireNonNull(cache.putIfAbsent("k", "v2")).get()).isEqualTo("v1");
    CacheSnapshot s = snapshot("c");
    assertThat(s.puts()).isEqualTo(1);
    assertThat(s.hits()).isEqualTo(1);
  }

  @Test
  void evictCountsEachCallAndEvictIfPresentOnlyRealRemovals() {
    Cache cache = monitored(new ConcurrentMapCacheManager(), "c");
    cache.put("k", "v");
    cache.evict("absent");
    assertThat(cache.evictIfPresent("absent")).isFalse();
    assertThat(cache.evictIfPresent("k")).isTrue();
    cache.clear();
    assertThat(cache.invalidate()).isFalse();
    CacheSnapshot s = snapshot("c");
    assertThat(s.removals()).isEqualTo(2);
    assertThat(s.clears()).isEqualTo(2);
  }

  @Test
  void aMissThenAPutOfTheSameKeyIsALoadAndOfAnotherKeyIsNot() {
    Cache cache = monitored(new ConcurrentMapCacheManager(), "c");
    assertThat(cache.get("a")).isNull();
    cache.put("b", "unrelated");
    assertThat(cache.get("c")).isNull();
    cache.put("c", "loaded");
    CacheSnapshot s = snapshot("c");
    assertThat(s.puts()).isEqualTo(2);
    assertThat(s.loads()).as("only the put that follows its own miss").isEqualTo(1);

    // A miss whose method failed, then a hit: a later put of the missed key is no load.
    assertThat(cache.get("failed")).isNull();
    assertThat(cache.get("c")).isNotNull();
    cache.put("failed", "written later");
    assertThat(snapshot("c").loads()).isEqualTo(1);
    assertThat(Objects.requireNonNull(s.latencyMs().get("load")).count()).isEqualTo(1);
  }

  @Test
  void aFailingLoaderReachesTheCallerAndCountsAsAFailedLoad() {
    Cache cache = monitored(new ConcurrentMapCacheManager(), "c");
    IllegalStateException failure = new IllegalStateException("backend down");
    assertThatThrownBy(
            () ->
                cache.get(
                    "k",
                    () -> {
                      throw failure;
                    }))
        .isInstanceOf(Cache.ValueRetrievalException.class)
        .hasCause(failure);
    CacheSnapshot s = snapshot("c");
    assertThat(s.loadFailures()).isEqualTo(1);
    assertThat(s.misses()).isEqualTo(1);
    assertThat(s.errors()).isZero();
  }

  @Test
  void theSameCacheIsWrappedOnceAndARecreatedOneKeepsItsMonitor() {
    ConcurrentMapCacheManager manager = new ConcurrentMapCacheManager("c");
    Cache first = monitored(manager, "c");
    assertThat(monitored(manager, "c")).isSameAs(first);
    first.put("k", "v");
    manager.setAllowNullValues(false); // the manager recreates its caches
    Cache recreated = monitored(manager, "c");
    assertThat(recreated).isNotSameAs(first);
    assertThat(recreated.get("k")).as("a new, empty cache").isNull();
    CacheSnapshot s = snapshot("c");
    assertThat(s.puts()).isEqualTo(1);
    assertThat(s.misses()).isEqualTo(1);
    assertThat(aggregator.cacheNames()).containsExactly("c");
  }
}
