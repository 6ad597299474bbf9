package dev.cachescope.instrument.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import java.time.Duration;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;

/**
 * A JCache cache whose provider is Caffeine's reports entries and memory like a Caffeine cache.
 * Runs in its own surefire execution ({@code caffeine-jcache}), which alone has Caffeine's JCache
 * provider on the class path: beside Ehcache's it would make the other tests' default provider
 * ambiguous.
 */
class JCacheOnCaffeineTest {
  private static final String PROVIDER =
      "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider";

  @Test
  void theCaffeineCacheUnderneathIsReadForEntriesAndMemory() {
    CachingProvider provider = Caching.getCachingProvider(PROVIDER);
    try (MetricsAggregator aggregator =
            MetricsAggregator.builder().publishInterval(Duration.ZERO).build();
        CacheManager manager = provider.getCacheManager()) {
      Cache<String, String> cache =
          JCacheMonitoring.monitor(
              manager.createCache("definitions", new MutableConfiguration<String, String>()),
              aggregator);
      for (int i = 0; i < 200; i++) {
        cache.put("term-" + i, "the definition of term " + i);
      }
      for (int i = 0; i < 300; i++) {
        cache.get("term-" + i);
      }
      CacheSnapshot snapshot = aggregator.snapshot("definitions").orElseThrow();
      assertThat(snapshot.hits()).isEqualTo(200);
      assertThat(snapshot.misses()).isEqualTo(100);
      assertThat(snapshot.totalEntries()).isEqualTo(200);
      assertThat(snapshot.memoryMethod()).isEqualTo("sampled");
      assertThat(snapshot.memoryUsageBytes()).isGreaterThan(200L * 40);
    } finally {
      provider.close();
    }
  }
}
