package dev.cachescope.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.config.MonitoringConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.cache.concurrent.ConcurrentMapCache;

/**
 * The starter's decoration without Spring Boot, as plain Spring applications and the agent use it.
 */
class SpringCacheMonitoringTest {

  @Test
  void aHandedOutCacheIsMonitoredOnceUnderItsName() {
    try (MetricsAggregator aggregator = MetricsAggregator.create()) {
      SpringCacheMonitoring caches =
          SpringCacheMonitoring.create(aggregator, MonitoringConfig.defaults());
      ConcurrentMapCache books = new ConcurrentMapCache("books");
      Cache monitored = caches.monitored("cacheManager", books);
      assertThat(caches.monitored("cacheManager", books)).isSameAs(monitored);
      assertThat(caches.monitored("cacheManager", monitored)).isSameAs(monitored);

      monitored.put(1, "one");
      assertThat(monitored.get(1)).isNotNull();
      assertThat(monitored.get(2)).isNull();
      aggregator.flush();
      CacheSnapshot snapshot = aggregator.snapshot("books").orElseThrow();
      assertThat(List.of(snapshot.hits(), snapshot.misses(), snapshot.puts()))
          .containsExactly(1L, 1L, 1L);

      // Another manager's cache of the same name is registered as manager:name.
      caches.monitored("otherCacheManager", new ConcurrentMapCache("books")).get(1);
      assertThat(aggregator.cacheNames()).contains("books", "otherCacheManager:books");
    }
  }

  @Test
  void monitoringOffInTheConfigurationHandsOutTheCacheItself() {
    try (MetricsAggregator aggregator = MetricsAggregator.create()) {
      MonitoringConfig off =
          MonitoringConfig.load(null, java.util.Map.of(MonitoringConfig.ENV_ENABLED, "false"));
      ConcurrentMapCache books = new ConcurrentMapCache("books");
      assertThat(SpringCacheMonitoring.create(aggregator, off).monitored("m", books))
          .isSameAs(books);
      assertThat(aggregator.cacheNames()).isEmpty();
    }
  }
}
