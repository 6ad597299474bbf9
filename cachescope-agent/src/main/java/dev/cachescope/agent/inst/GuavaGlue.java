package dev.cachescope.agent.inst;

import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.config.MonitoringConfig;
import dev.cachescope.instrument.guava.GuavaMonitoring;
import org.jspecify.annotations.Nullable;

/** The Guava part of {@link Glue}: loaded only in a host that has Guava. */
final class GuavaGlue {
  private GuavaGlue() {}

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
