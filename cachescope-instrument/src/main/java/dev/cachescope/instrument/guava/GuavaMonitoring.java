package dev.cachescope.instrument.guava;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import com.google.common.cache.RemovalListener;
import com.google.common.cache.RemovalNotification;
import dev.cachescope.CacheInspector;
import dev.cachescope.CacheMonitor;
import dev.cachescope.EvictionCause;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.instrument.Registration;

/**
 * Monitors Guava caches in one line:
 *
 * <pre>{@code
 * Cache<String, Rule> rules =
 *     GuavaMonitoring.build(CacheBuilder.newBuilder().maximumSize(1_000), aggregator, "RuleCache");
 * }</pre>
 *
 * <p>{@code build…} sets the builder's removal listener, through which Guava reports evictions with
 * their cause, and wraps the cache; a builder that already has a removal listener is rejected.
 * {@code monitor(cache, …)} wraps a cache you built; it cannot see evictions.
 *
 * <p>What is counted, and when: as for Caffeine ({@link
 * dev.cachescope.instrument.caffeine.CaffeineMonitoring}). A lookup is a hit when the key was
 * present when looked at; a load is timed when this call's loader runs ({@code get(key, loader)}),
 * or when {@code get}/{@code getUnchecked}/{@code getAll} of a loading cache missed; a load that
 * throws is a failure. {@code put}, {@code putAll}, {@code invalidate} (when it removed something)
 * and {@code invalidateAll()} are puts, removals and a clear.
 */
public final class GuavaMonitoring {
  private GuavaMonitoring() {}

  /** Builds a monitored {@link Cache} named {@code name}. */
  public static <K, V> Cache<K, V> build(
      CacheBuilder<? super K, ? super V> builder, MetricsAggregator aggregator, String name) {
    return build(builder, aggregator, CacheMonitor.builder(name));
  }

  /** Builds a monitored {@link Cache} with the monitor options in {@code options}. */
  public static <K, V> Cache<K, V> build(
      CacheBuilder<? super K, ? super V> builder,
      MetricsAggregator aggregator,
      CacheMonitor.Builder options) {
    CacheMonitor monitor = aggregator.register(options.build());
    Cache<K, V> cache = withEvictions(builder, monitor, aggregator).build();
    monitor.inspect(cache, GuavaInspector.INSTANCE);
    return new MonitoredGuavaCache<>(cache, monitor);
  }

  /** Builds a monitored {@link LoadingCache} named {@code name}. */
  public static <K, V> LoadingCache<K, V> build(
      CacheBuilder<? super K, ? super V> builder,
      CacheLoader<? super K, V> loader,
      MetricsAggregator aggregator,
      String name) {
    return build(builder, loader, aggregator, CacheMonitor.builder(name));
  }

  /** Builds a monitored {@link LoadingCache} with the monitor options in {@code options}. */
  public static <K, V> LoadingCache<K, V> build(
      CacheBuilder<? super K, ? super V> builder,
      CacheLoader<? super K, V> loader,
      MetricsAggregator aggregator,
      CacheMonitor.Builder options) {
    CacheMonitor monitor = aggregator.register(options.build());
    CacheBuilder<K, V> typed = withEvictions(builder, monitor, aggregator);
    LoadingCache<K, V> cache = typed.build(loader);
    monitor.inspect(cache, GuavaInspector.INSTANCE);
    return new MonitoredGuavaLoadingCache<>(cache, monitor);
  }

  /**
   * Reads a Guava cache's entries and settings, for tools that own the cache and count its calls
   * themselves (the agent). Reading never counts as access.
   */
  public static CacheInspector<Cache<?, ?>> inspector() {
    return GuavaInspector.INSTANCE;
  }

  /**
   * The cache a monitored cache from this class wraps, or {@code cache} itself when it is not one:
   * for tools that see caches from below (the agent), so that they do not count a wrapped cache
   * twice.
   */
  public static <K, V> Cache<K, V> unwrap(Cache<K, V> cache) {
    return cache instanceof MonitoredGuavaCache<K, V> monitored ? monitored.delegate() : cache;
  }

  /** Wraps a cache that is already built. Evictions are not seen. */
  public static <K, V> Cache<K, V> monitor(
      Cache<K, V> cache, MetricsAggregator aggregator, String name) {
    return new MonitoredGuavaCache<>(
        cache,
        Registration.register(
            aggregator, CacheMonitor.builder(name), cache, GuavaInspector.INSTANCE));
  }

  /** Wraps a loading cache that is already built. Evictions are not seen. */
  public static <K, V> LoadingCache<K, V> monitor(
      LoadingCache<K, V> cache, MetricsAggregator aggregator, String name) {
    return new MonitoredGuavaLoadingCache<>(
        cache,
        Registration.register(
            aggregator, CacheMonitor.builder(name), cache, GuavaInspector.INSTANCE));
  }

  private static <K, V> CacheBuilder<K, V> withEvictions(
      CacheBuilder<? super K, ? super V> builder,
      CacheMonitor monitor,
      MetricsAggregator aggregator) {
    RemovalListener<Object, Object> listener = notification -> countEviction(monitor, notification);
    try {
      return builder.<K, V>removalListener(listener);
    } catch (IllegalStateException e) {
      aggregator.unregister(monitor.name());
      throw new IllegalStateException(
          "GuavaMonitoring.build() counts evictions through the builder's removal listener, but"
              + " the builder of '"
              + monitor.name()
              + "' already has one; build the cache yourself and use GuavaMonitoring.monitor()"
              + " (evictions will not be counted)",
          e);
    }
  }

  private static void countEviction(
      CacheMonitor monitor, RemovalNotification<Object, Object> notification) {
    switch (notification.getCause()) {
      case SIZE -> monitor.recordEviction(EvictionCause.SIZE, notification.getKey());
      case EXPIRED -> monitor.recordEviction(EvictionCause.EXPIRED, notification.getKey());
      case COLLECTED -> monitor.recordEviction(EvictionCause.COLLECTED, notification.getKey());
      case EXPLICIT, REPLACED -> {}
    }
  }
}
