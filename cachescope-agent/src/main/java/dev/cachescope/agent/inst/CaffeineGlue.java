package dev.cachescope.agent.inst;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.config.MonitoringConfig;
import dev.cachescope.instrument.caffeine.CaffeineMonitoring;
import org.jspecify.annotations.Nullable;

/** The Caffeine part of {@link Glue}: loaded only in a host that has Caffeine. */
final class CaffeineGlue {
  private CaffeineGlue() {}

  static Object unwrap(Object cache) {
    return cache instanceof Cache<?, ?> c ? CaffeineMonitoring.unwrap(c) : cache;
  }

  /** A monitor for a cache built before the agent came, bound to it like the adapter's. */
  static CacheMonitor existing(
      MetricsAggregator aggregator, MonitoringConfig config, Object cache, String name) {
    CacheMonitor monitor = aggregator.register(config.monitorOptions(name).build());
    Cache<?, ?> caffeine = (Cache<?, ?>) cache;
    monitor.inspect(caffeine, CaffeineMonitoring.inspector());
    monitor.simulate(CaffeineMonitoring.sizingModel(caffeine));
    return monitor;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Object build(
      MetricsAggregator aggregator,
      MonitoringConfig config,
      Object builder,
      @Nullable Object loader,
      boolean async,
      String name) {
    Caffeine<Object, Object> caffeine = (Caffeine<Object, Object>) builder;
    try {
      if (async) {
        return loader == null
            ? CaffeineMonitoring.buildAsync(caffeine, aggregator, name)
            : CaffeineMonitoring.buildAsync(caffeine, (AsyncCacheLoader) loader, aggregator, name);
      }
      return loader == null
          ? CaffeineMonitoring.build(caffeine, aggregator, config.monitorOptions(name))
          : CaffeineMonitoring.build(
              caffeine, (CacheLoader) loader, aggregator, config.monitorOptions(name));
    } catch (IllegalStateException e) {
      // The builder has its own eviction listener: wrap the built cache; evictions are not seen.
      if (async) {
        return loader == null
            ? CaffeineMonitoring.monitor(caffeine.buildAsync(), aggregator, name)
            : CaffeineMonitoring.monitor(
                caffeine.buildAsync((AsyncCacheLoader) loader), aggregator, name);
      }
      return loader == null
          ? CaffeineMonitoring.monitor(caffeine.build(), aggregator, name)
          : CaffeineMonitoring.monitor(caffeine.build((CacheLoader) loader), aggregator, name);
    }
  }
}
