package dev.cachescope.agent.inst;

import dev.cachescope.MetricsAggregator;
import dev.cachescope.instrument.jcache.MonitoringCachingProvider;
import java.util.Map;
import java.util.WeakHashMap;
import javax.cache.spi.CachingProvider;

/**
 * The JCache part of {@link Glue}: loaded only in a host that has JCache. One monitoring provider
 * per real one, so every {@code Caching.getCachingProvider()} hands out the same.
 */
final class JCacheGlue {
  private static final Map<CachingProvider, MonitoringCachingProvider> PROVIDERS =
      new WeakHashMap<>();

  private JCacheGlue() {}

  static synchronized Object provider(MetricsAggregator aggregator, Object provider) {
    if (provider instanceof MonitoringCachingProvider) {
      return provider;
    }
    return PROVIDERS.computeIfAbsent(
        (CachingProvider) provider, p -> new MonitoringCachingProvider(p, aggregator));
  }
}
