package dev.cachescope.instrument;

import dev.cachescope.CacheInspector;
import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;

/**
 * Monitors a {@link ConcurrentMap} used as a cache — the {@code computeIfAbsent} memoizer is the
 * most common hand-made cache in Java:
 *
 * <pre>{@code
 * ConcurrentMap<String, Rule> rules =
 *     MapMonitoring.monitor(new ConcurrentHashMap<>(), aggregator, "RuleCache");
 * }</pre>
 *
 * <h2>What is counted, and when</h2>
 *
 * <ul>
 *   <li>{@code get} and {@code getOrDefault}: a hit when a value is present, else a miss.
 *   <li>{@code computeIfAbsent}: a hit when a value is present; a miss when this call's mapping
 *       function runs, which is also a timed load (a failure if it throws or returns null).
 *   <li>{@code put}, {@code putAll} (one per entry), and {@code putIfAbsent}, {@code replace},
 *       {@code compute}, {@code computeIfPresent}, {@code merge} when they store a value: puts.
 *   <li>{@code remove} when it removes something: a removal. {@code clear}: a clear.
 *   <li>Not counted: {@code containsKey}, {@code containsValue}, iteration, and changes made
 *       through the {@code keySet}, {@code values} and {@code entrySet} views, which are the
 *       delegate's own.
 * </ul>
 *
 * Entries are the map's {@code size()}. The monitored map is thread-safe exactly as far as the
 * delegate is.
 */
public final class MapMonitoring {
  private MapMonitoring() {}

  /** Monitors {@code map} as the cache {@code name}, with default monitor options. */
  public static <K, V> ConcurrentMap<K, V> monitor(
      ConcurrentMap<K, V> map, MetricsAggregator aggregator, String name) {
    return monitor(map, aggregator, CacheMonitor.builder(name));
  }

  /** Monitors {@code map} with the monitor options in {@code options}. */
  public static <K, V> ConcurrentMap<K, V> monitor(
      ConcurrentMap<K, V> map, MetricsAggregator aggregator, CacheMonitor.Builder options) {
    CacheMonitor monitor = Registration.register(aggregator, options, map, MapInspector.INSTANCE);
    return new MonitoredConcurrentMap<>(map, monitor);
  }

  /**
   * Reads a map's size and a sample of its entries, for frameworks that own a map-backed cache (a
   * Spring {@code ConcurrentMapCache}, say). Map iteration counts as no access.
   */
  public static CacheInspector<Map<?, ?>> inspector() {
    return MapInspector.INSTANCE;
  }

  /**
   * Wraps {@code map} with an existing monitor; for adapters whose cache exposes a map view (the
   * monitor is already bound to the cache).
   */
  public static <K, V> ConcurrentMap<K, V> view(ConcurrentMap<K, V> map, CacheMonitor monitor) {
    return new MonitoredConcurrentMap<>(map, monitor);
  }
}
