package dev.cachescope.instrument.caffeine;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import dev.cachescope.CacheInspector;
import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.SizingModel;
import dev.cachescope.instrument.Registration;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Monitors Caffeine caches in one line:
 *
 * <pre>{@code
 * Cache<String, Rule> rules = CaffeineMonitoring.build(
 *     Caffeine.newBuilder().maximumSize(1_000), aggregator, "RuleCache");
 * LoadingCache<String, User> users = CaffeineMonitoring.build(
 *     Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(5)), this::loadUser, aggregator, "users");
 * }</pre>
 *
 * <h2>Three ways in</h2>
 *
 * <ul>
 *   <li><b>{@code build…}</b> (recommended) sets the builder's {@code evictionListener}, through
 *       which Caffeine reports every eviction with its cause, builds the cache and wraps it to
 *       record lookups, loads, writes and removals with keys and timing. A builder that already has
 *       an eviction listener is rejected. Caffeine's own {@code recordStats()} is untouched: {@code
 *       cache.stats()} is Caffeine's, as without cachescope.
 *   <li><b>{@code monitor(cache, …)}</b> wraps a cache you already built; it cannot see evictions,
 *       which only the builder's hooks report.
 *   <li><b>{@link #statsCounter(CacheMonitor)}</b> attaches without a wrapper: {@code
 *       Caffeine.newBuilder().recordStats(() -> CaffeineMonitoring.statsCounter(monitor))}. Hits,
 *       misses, loads (refreshes included) and evictions are counted exactly by Caffeine; puts and
 *       removals are not seen, lookups are not timed, and no keys are kept. Bind the cache for
 *       entry counts with {@code monitor.inspect(cache, Cache::estimatedSize)}.
 * </ul>
 *
 * <h2>What the wrappers count, and when</h2>
 *
 * <ul>
 *   <li>A lookup ({@code getIfPresent}, {@code get}, {@code getAll}, per distinct key) is a hit
 *       when the cache held the key when looked at, else a miss — also when another thread's load
 *       then supplies the value. For async caches a present future, complete or not, is a hit.
 *   <li>A load is counted after a miss of a {@code get}: the mapping function's run, or the loading
 *       cache's {@code get}/{@code getAll}, timed as long as it took (async: until its future
 *       completed); a failure when it throws or yields null. Background refreshes ({@code
 *       refreshAfterWrite}, {@code refresh}) are not seen by a wrapper.
 *   <li>{@code put} and {@code putAll} (per entry) are puts; {@code invalidate} is a removal when a
 *       value was removed; {@code invalidateAll()} is a clear. Operations on {@code asMap()} are
 *       counted as {@link dev.cachescope.instrument.MapMonitoring} describes.
 *   <li>Evictions ({@code build…} only): by cause — size, expired, collected.
 * </ul>
 *
 * Values, exceptions and views are the delegate's; the wrappers are as thread-safe as Caffeine.
 */
public final class CaffeineMonitoring {
  private CaffeineMonitoring() {}

  /** Builds a monitored {@link Cache} named {@code name}. */
  public static <K, V> Cache<K, V> build(
      Caffeine<? super K, ? super V> builder, MetricsAggregator aggregator, String name) {
    return build(builder, aggregator, CacheMonitor.builder(name));
  }

  /** Builds a monitored {@link Cache} with the monitor options in {@code options}. */
  public static <K, V> Cache<K, V> build(
      Caffeine<? super K, ? super V> builder,
      MetricsAggregator aggregator,
      CacheMonitor.Builder options) {
    CacheMonitor monitor = withEvictions(builder, aggregator, options);
    Cache<K, V> cache = builder.build();
    bind(monitor, cache);
    return new MonitoredCache<>(cache, monitor);
  }

  /** Builds a monitored {@link LoadingCache} named {@code name}. */
  public static <K, V> LoadingCache<K, V> build(
      Caffeine<? super K, ? super V> builder,
      CacheLoader<? super K, V> loader,
      MetricsAggregator aggregator,
      String name) {
    return build(builder, loader, aggregator, CacheMonitor.builder(name));
  }

  /** Builds a monitored {@link LoadingCache} with the monitor options in {@code options}. */
  public static <K, V> LoadingCache<K, V> build(
      Caffeine<? super K, ? super V> builder,
      CacheLoader<? super K, V> loader,
      MetricsAggregator aggregator,
      CacheMonitor.Builder options) {
    CacheMonitor monitor = withEvictions(builder, aggregator, options);
    LoadingCache<K, V> cache = builder.build(loader);
    bind(monitor, cache);
    return new MonitoredLoadingCache<>(cache, monitor);
  }

  /** Builds a monitored {@link AsyncCache} named {@code name}. */
  public static <K, V> AsyncCache<K, V> buildAsync(
      Caffeine<? super K, ? super V> builder, MetricsAggregator aggregator, String name) {
    CacheMonitor monitor = withEvictions(builder, aggregator, CacheMonitor.builder(name));
    AsyncCache<K, V> cache = builder.buildAsync();
    bind(monitor, cache.synchronous());
    return new MonitoredAsyncCache<>(cache, monitor);
  }

  /** Builds a monitored {@link AsyncLoadingCache} named {@code name}. */
  public static <K, V> AsyncLoadingCache<K, V> buildAsync(
      Caffeine<? super K, ? super V> builder,
      AsyncCacheLoader<? super K, V> loader,
      MetricsAggregator aggregator,
      String name) {
    CacheMonitor monitor = withEvictions(builder, aggregator, CacheMonitor.builder(name));
    AsyncLoadingCache<K, V> cache = builder.buildAsync(loader);
    bind(monitor, cache.synchronous());
    return new MonitoredAsyncLoadingCache<>(cache, monitor);
  }

  /**
   * Reads a Caffeine cache's entries, bound, TTL, policy settings and an entry sample, for
   * frameworks that own the cache and call it themselves (a Spring {@code CaffeineCache}, say).
   * Reading never counts as access.
   */
  public static CacheInspector<Cache<?, ?>> inspector() {
    return CaffeineInspector.INSTANCE;
  }

  /**
   * The sizing model of a Caffeine cache, for frameworks that own the cache: miniature caches of
   * real Caffeine (W-TinyLFU) so that {@code sizing.hit_rate_at_size} is the curve of the policy
   * the cache runs ({@link CacheMonitor#simulate}). For a cache bounded by weight, or unbounded,
   * the advice stays LRU. The cache is held weakly.
   */
  public static SizingModel sizingModel(Cache<?, ?> cache) {
    return new CaffeineSizingModel(cache);
  }

  /** Wraps a cache that is already built. Evictions are not seen; see the class docs. */
  public static <K, V> Cache<K, V> monitor(
      Cache<K, V> cache, MetricsAggregator aggregator, String name) {
    return new MonitoredCache<>(cache, register(cache, aggregator, name));
  }

  /** Wraps a loading cache that is already built. Evictions are not seen. */
  public static <K, V> LoadingCache<K, V> monitor(
      LoadingCache<K, V> cache, MetricsAggregator aggregator, String name) {
    return new MonitoredLoadingCache<>(cache, register(cache, aggregator, name));
  }

  /** Wraps an async cache that is already built. Evictions are not seen. */
  public static <K, V> AsyncCache<K, V> monitor(
      AsyncCache<K, V> cache, MetricsAggregator aggregator, String name) {
    return new MonitoredAsyncCache<>(cache, register(cache.synchronous(), aggregator, name));
  }

  /** Wraps an async loading cache that is already built. Evictions are not seen. */
  public static <K, V> AsyncLoadingCache<K, V> monitor(
      AsyncLoadingCache<K, V> cache, MetricsAggregator aggregator, String name) {
    return new MonitoredAsyncLoadingCache<>(cache, register(cache.synchronous(), aggregator, name));
  }

  /**
   * The cache a monitored cache from this class wraps, or {@code cache} itself when it is not one:
   * for tools that see caches from below (the agent), so that they do not count a wrapped cache
   * twice.
   */
  public static <K, V> Cache<K, V> unwrap(Cache<K, V> cache) {
    return cache instanceof MonitoredCache<K, V> monitored ? monitored.delegate : cache;
  }

  /**
   * A {@code StatsCounter} that reports Caffeine's own hits, misses, loads and evictions to {@code
   * monitor}, for {@code Caffeine.recordStats(Supplier)} when no wrapper is wanted.
   */
  public static StatsCounter statsCounter(CacheMonitor monitor) {
    return new MonitorStatsCounter(monitor);
  }

  /**
   * A monitored memoized function backed by a Caffeine LoadingCache; see {@link
   * dev.cachescope.instrument.Memoized#function}.
   */
  public static <K, V> Function<K, @Nullable V> memoize(
      Function<? super K, ? extends @Nullable V> function,
      MetricsAggregator aggregator,
      String name,
      @Nullable Duration ttl,
      long maximumSize) {
    if (maximumSize < 0) {
      throw new IllegalArgumentException(
          "maximumSize of memoized '"
              + name
              + "' must be >= 0 (0 = unbounded), was "
              + maximumSize);
    }
    if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
      throw new IllegalArgumentException(
          "ttl of memoized '" + name + "' must be positive (or null for no expiry), was " + ttl);
    }
    Caffeine<Object, Object> builder = Caffeine.newBuilder();
    if (ttl != null) {
      builder.expireAfterWrite(ttl);
    }
    if (maximumSize > 0) {
      builder.maximumSize(maximumSize);
    }
    LoadingCache<K, V> cache = build(builder, function::apply, aggregator, name);
    return cache::get;
  }

  private static CacheMonitor register(
      Cache<?, ?> cache, MetricsAggregator aggregator, String name) {
    CacheMonitor monitor =
        Registration.register(
            aggregator, CacheMonitor.builder(name), cache, CaffeineInspector.INSTANCE);
    monitor.simulate(new CaffeineSizingModel(cache));
    return monitor;
  }

  /** Inspects the cache, and simulates its policy for sizing advice with real Caffeine caches. */
  private static void bind(CacheMonitor monitor, Cache<?, ?> cache) {
    monitor.inspect(cache, CaffeineInspector.INSTANCE);
    monitor.simulate(new CaffeineSizingModel(cache));
  }

  private static CacheMonitor withEvictions(
      Caffeine<?, ?> builder, MetricsAggregator aggregator, CacheMonitor.Builder options) {
    CacheMonitor monitor = aggregator.register(options.build());
    try {
      builder.evictionListener(new EvictionCounter(monitor));
    } catch (IllegalStateException e) {
      aggregator.unregister(monitor.name());
      throw new IllegalStateException(
          "CaffeineMonitoring counts evictions through the builder's evictionListener, but the"
              + " builder of '"
              + monitor.name()
              + "' already has one; move your listener to removalListener(...), or build the cache"
              + " yourself and use CaffeineMonitoring.monitor() (evictions will not be counted)",
          e);
    }
    return monitor;
  }
}
