package dev.cachescope.agent.inst;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.config.MonitoringConfig;
import dev.cachescope.instrument.guava.GuavaMonitoring;
import org.jspecify.annotations.Nullable;

/** The Guava part of {@link Glue}: loaded only in a host that has Guava. */
final class GuavaGlue {
  private GuavaGlue() {}

  static Object unwrap(Object cache) {
    return cache instanceof Cache<?, ?> c ? GuavaMonitoring.unwrap(c) : cache;
  }

  /** A monitor for a cache built before the agent came, bound to it like the adapter's. */
  static CacheMonitor existing(
      MetricsAggregator aggregator, MonitoringConfig config, Object cache, String name) {
    CacheMonitor monitor = aggregator.register(config.monitorOptions(name).build());
    monitor.inspect((Cache<?, ?>) cache, GuavaMonitoring.inspector());
    return monitor;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Object build(
      MetricsAggregator aggregator,
      MonitoringConfig config,
      Object builder,
      @Nullable Object loader,
      String name) {
    CacheBuilder<Object, Object> guava = (CacheBuilder<Object, Object>) builder;
    try {
      return loader == null
          ? GuavaMonitoring.build(guava, aggregator, config.monitorOptions(name))
          : GuavaMonitoring.build(
              guava, (CacheLoader) loader, aggregator, config.monitorOptions(name));
    } catch (IllegalStateException e) {
      // The builder has its own removal listener: wrap the built cache; evictions are not seen.
      return loader == null
          ? GuavaMonitoring.monitor(guava.build(), aggregator, name)
          : GuavaMonitoring.monitor(guava.build((CacheLoader) loader), aggregator, name);
    }
  }
}
