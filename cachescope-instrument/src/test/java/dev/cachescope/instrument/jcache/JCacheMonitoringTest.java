package dev.cachescope.instrument.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.MemoryUnit;
import org.ehcache.core.config.DefaultConfiguration;
import org.ehcache.impl.config.persistence.DefaultPersistenceConfiguration;
import org.ehcache.jsr107.Eh107Configuration;
import org.ehcache.jsr107.EhcacheCachingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JCacheMonitoringTest {
  private final MetricsAggregator aggregator =
      MetricsAggregator.builder().publishInterval(Duration.ZERO).build();

  @AfterEach
  void close() {
    aggregator.close();
  }

  /**
   * The seed design's FileCache: Ehcache 3 with a heap tier and a disk tier, reached through
   * JCache.
   */
  @Test
  void overEhcacheHeapAndDiskHitsReportTheirTierAndEntriesComeFromTheDisk(@TempDir Path dir) {
    CacheManager manager = ehcacheWithDiskIn(dir);
    try {
      Cache<String, String> files =
          JCacheMonitoring.monitor(
              manager.createCache(
                  "FileCache",
                  Eh107Configuration.fromEhcacheCacheConfiguration(
                      CacheConfigurationBuilder.newCacheConfigurationBuilder(
                          String.class,
                          String.class,
                          ResourcePoolsBuilder.heap(2).disk(10, MemoryUnit.MB, false)))),
              aggregator);
      for (int i = 0; i < 10; i++) {
        files.put("file" + i, "contents of file " + i);
      }
      // Each file read twice in a row: from disk, then from the heap it was faulted into.
      for (int i = 0; i < 10; i++) {
        for (int twice = 0; twice < 2; twice++) {
          assertThat(files.get("file" + i)).isEqualTo("contents of file " + i);
        }
      }
      assertThat(files.get("absent")).isNull();

      CacheSnapshot s = aggregator.snapshot("FileCache").orElseThrow();
      assertThat(s.hits()).isEqualTo(20);
      assertThat(s.misses()).isEqualTo(1);
      assertThat(s.totalEntries()).isEqualTo(10);
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Object>> tiers =
          (Map<String, Map<String, Object>>) Objects.requireNonNull(s.customMetrics().get("tiers"));
      assertThat(tiers).containsKeys("OnHeap", "Disk");
      Map<String, Object> disk = Objects.requireNonNull(tiers.get("Disk"));
      Map<String, Object> heap = Objects.requireNonNull(tiers.get("OnHeap"));
      // Each hit's source agrees with the tier that Ehcache says served it; at least the first
      // read of every file came from disk.
      assertThat(s.sources().get("disk")).isEqualTo(disk.get("hits")).isGreaterThanOrEqualTo(10L);
      assertThat(s.sources().get("memory")).isEqualTo(heap.get("hits"));
      assertThat(s.customMetrics()).containsEntry("provider", "ehcache");
      assertThat((Object) files.unwrap(org.ehcache.Cache.class)).isNotNull();
    } finally {
      manager.close();
    }
  }

  /**
   * Evictions are entries leaving the cache, counted by its authoritative tier: a heap-only cache's
   * heap evictions count; in a heap-and-disk cache, entries the heap pushes down to disk do not.
   */
  @Test
  void evictionsComeFromTheAuthoritativeTierNotFromMovesBetweenTiers(@TempDir Path dir) {
    CacheManager manager = ehcacheWithDiskIn(dir);
    try {
      Cache<String, String> heapOnly =
          JCacheMonitoring.monitor(
              manager.createCache(
                  "heapOnly",
                  Eh107Configuration.fromEhcacheCacheConfiguration(
                      CacheConfigurationBuilder.newCacheConfigurationBuilder(
                          String.class, String.class, ResourcePoolsBuilder.heap(10)))),
              aggregator);
      Cache<String, String> tiered =
          JCacheMonitoring.monitor(
              manager.createCache(
                  "tiered",
                  Eh107Configuration.fromEhcacheCacheConfiguration(
                      CacheConfigurationBuilder.newCacheConfigurationBuilder(
                          String.class,
                          String.class,
                          ResourcePoolsBuilder.heap(2).disk(10, MemoryUnit.MB, false)))),
              aggregator);
      for (int i = 0; i < 50; i++) {
        heapOnly.put("k" + i, "v" + i);
        tiered.put("k" + i, "v" + i);
        tiered.get("k" + i);
      }

      CacheSnapshot heap = aggregator.snapshot("heapOnly").orElseThrow();
      assertThat(heap.totalEntries()).isEqualTo(10);
      assertThat(heap.evictions()).as("50 written, 10 held").isEqualTo(40);
      assertThat(heap.evictionsByCause().get("size")).isEqualTo(40);
      assertThat(tierNumber(heap, "OnHeap", "evictions")).isEqualTo(40);

      CacheSnapshot both = aggregator.snapshot("tiered").orElseThrow();
      assertThat(both.totalEntries()).isEqualTo(50);
      assertThat(tierNumber(both, "OnHeap", "evictions"))
          .as("the heap pushed entries down to disk")
          .isGreaterThanOrEqualTo(48);
      assertThat(both.evictions()).as("every entry is still in the cache").isZero();

      heapOnly.put("one more", "v");
      assertThat(aggregator.snapshot("heapOnly").orElseThrow().evictions()).isEqualTo(41);
    } finally {
      manager.close();
    }
  }

  /** Ehcache's JCache manager, its disk tiers persisted in {@code dir}. */
  private CacheManager ehcacheWithDiskIn(Path dir) {
    EhcacheCachingProvider ehcache = new EhcacheCachingProvider();
    return ehcache.getCacheManager(
        ehcache.getDefaultURI(),
        new DefaultConfiguration(
            getClass().getClassLoader(), new DefaultPersistenceConfiguration(dir.toFile())));
  }

  @SuppressWarnings("unchecked")
  private static long tierNumber(CacheSnapshot s, String tier, String number) {
    Map<String, Map<String, Object>> tiers =
        (Map<String, Map<String, Object>>) Objects.requireNonNull(s.customMetrics().get("tiers"));
    return ((Number) Objects.requireNonNull(Objects.requireNonNull(tiers.get(tier)).get(number)))
        .longValue();
  }

  @Test
  void theProviderMonitorsEveryCacheItHandsOutAndForgetsThemOnClose() {
    MonitoringCachingProvider provider =
        new MonitoringCachingProvider(new EhcacheCachingProvider(), aggregator);
    CacheManager manager = provider.getCacheManager();
    Cache<String, Integer> cache =
        manager.createCache(
            "counts",
            new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
    cache.put("a", 1);
    assertThat(manager.getCache("counts", String.class, Integer.class)).isSameAs(cache);
    assertThat(cache.getCacheManager()).isSameAs(manager);
    assertThat(manager.getCachingProvider()).isSameAs(provider);
    assertThat(aggregator.snapshot("counts").orElseThrow().puts()).isEqualTo(1);

    manager.destroyCache("counts");
    assertThat(aggregator.cacheNames()).doesNotContain("counts");
    provider.close();
  }

  @Test
  void oneSystemPropertyMonitorsTheApplicationsCaches() {
    CachingProvider provider =
        Caching.getCachingProvider(MonitoringCachingProvider.class.getName());
    try {
      assertThat(((MonitoringCachingProvider) provider).delegate())
          .isInstanceOf(EhcacheCachingProvider.class);
      Cache<String, String> cache =
          provider
              .getCacheManager()
              .createCache("via-property", new MutableConfiguration<String, String>());
      cache.get("x");
      assertThat(MetricsAggregator.global().snapshot("via-property").orElseThrow().misses())
          .isEqualTo(1);
    } finally {
      provider.close();
      MetricsAggregator.global().unregister("via-property");
    }
  }

  @Test
  void aBadDelegatePropertySaysWhatToSet() {
    System.setProperty(MonitoringCachingProvider.DELEGATE_PROPERTY, "com.example.NoSuchProvider");
    try {
      assertThatThrownBy(MonitoringCachingProvider::new)
          .isInstanceOf(CacheException.class)
          .hasMessageContaining("-Dcachescope.jcache.delegate=com.example.NoSuchProvider")
          .hasMessageContaining("is not a JCache CachingProvider");
    } finally {
      System.clearProperty(MonitoringCachingProvider.DELEGATE_PROPERTY);
    }
  }
}
