package dev.cachescope.agent.inst;

import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.config.MonitoringConfig;
import dev.cachescope.instrument.jcache.JCacheMonitoring;
import dev.cachescope.instrument.jcache.MonitoringCachingProvider;
import java.util.Map;
import java.util.WeakHashMap;
import javax.cache.Cache;
import javax.cache.spi.CachingProvider;

/**
 * The JCache part of {@link Glue}: loaded only in a host that has JCache. One monitoring provider
 * per real one, so every {@code Caching.getCachingProvider()} hands out the same.
 */
final class JCacheGlue {
  private static final Map<CachingProvider, MonitoringCachingProvider> PROVIDERS =
      new WeakHashMap<>();

  private JCacheGlue() {}

  /** A monitor for a cache built before the agent came, bound to it like the adapter's. */
  static CacheMonitor existing(
      MetricsAggregator aggregator, MonitoringConfig config, Object cache, String name) {
    CacheMonitor monitor = aggregator.register(config.monitorOptions(name).build());
    JCacheMonitoring.inspect(monitor, (Cache<?, ?>) cache);
    return monitor;
  }

  static synchronized Object provider(MetricsAggregator aggregator, Object provider) {
    if (provider instanceof MonitoringCachingProvider) {
      return provider;
    }
    return PROVIDERS.computeIfAbsent(
        (CachingProvider) provider, p -> new MonitoringCachingProvider(p, aggregator));
  }
}
