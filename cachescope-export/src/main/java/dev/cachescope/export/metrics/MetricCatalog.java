package dev.cachescope.export.metrics;

import dev.cachescope.CacheSnapshot;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The one list of per-cache meters that cachescope publishes, read by both the Prometheus
 * exposition and the Micrometer binder so that the two never drift apart. Names are Micrometer's
 * (lowercase, dotted; Micrometer's cache meter names where one exists, so existing dashboards
 * work); {@link Metric#prometheusName()} is the Prometheus form. Every meter also carries the tag
 * {@code cache}. Latency distributions are published apart, by each exporter in its own form.
 */
public final class MetricCatalog {
  /** Whether a meter only grows (a counter) or goes up and down (a gauge). */
  public enum Kind {
    COUNTER,
    GAUGE
  }

  /**
   * One meter: a name, its help text, its kind, an optional tag that tells its series apart (the
   * {@code result} of a lookup, say), and how to read its value from a snapshot.
   *
   * @param name the Micrometer name, e.g. {@code cache.gets}
   * @param baseUnit the unit Prometheus appends to the name, e.g. {@code bytes}; null for none
   * @param tagKey the extra tag's key, or null when the meter has one series per cache
   * @param tagValue the extra tag's value, or null
   */
  public record Metric(
      String name,
      String help,
      Kind kind,
      @Nullable String baseUnit,
      @Nullable String tagKey,
      @Nullable String tagValue,
      ToDoubleFunction<CacheSnapshot> value) {

    /** The Prometheus name, without the {@code _total} a counter's samples get. */
    public String prometheusName() {
      String base = name.replace('.', '_');
      return baseUnit == null ? base : base + "_" + baseUnit;
    }
  }

  /** Every meter, in the order expositions list them; meters that share a name are adjacent. */
  public static final List<Metric> METRICS =
      List.of(
          tagged("cache.gets", "Cache lookups, by result", "result", "hit", CacheSnapshot::hits),
          tagged("cache.gets", "Cache lookups, by result", "result", "miss", CacheSnapshot::misses),
          counter("cache.puts", "Values written", CacheSnapshot::puts),
          evictions("size"),
          evictions("expired"),
          evictions("collected"),
          evictions("unspecified"),
          counter("cache.removals", "Entries removed on request", CacheSnapshot::removals),
          tagged(
              "cache.loads",
              "Loads after a miss, by result",
              "result",
              "success",
              CacheSnapshot::loads),
          tagged(
              "cache.loads",
              "Loads after a miss, by result",
              "result",
              "failure",
              CacheSnapshot::loadFailures),
          counter("cache.errors", "Operations the cache failed", CacheSnapshot::errors),
          gauge("cache.size", "Entries in the cache", null, CacheSnapshot::totalEntries),
          gauge(
              "cache.hit.ratio",
              "Hits / lookups since the monitor started",
              null,
              CacheSnapshot::hitRate),
          gauge(
              "cache.memory",
              "Memory the entries take, 0 when unknown",
              "bytes",
              CacheSnapshot::memoryUsageBytes));

  private MetricCatalog() {}

  private static Metric counter(String name, String help, ToDoubleFunction<CacheSnapshot> value) {
    return new Metric(name, help, Kind.COUNTER, null, null, null, value);
  }

  private static Metric evictions(String cause) {
    return tagged(
        "cache.evictions",
        "Entries the cache dropped by itself, by cause",
        "cause",
        cause,
        s -> s.evictionsByCause().getOrDefault(cause, 0L));
  }

  private static Metric tagged(
      String name,
      String help,
      String tagKey,
      String tagValue,
      ToDoubleFunction<CacheSnapshot> value) {
    return new Metric(name, help, Kind.COUNTER, null, tagKey, tagValue, value);
  }

  private static Metric gauge(
      String name, String help, @Nullable String baseUnit, ToDoubleFunction<CacheSnapshot> value) {
    return new Metric(name, help, Kind.GAUGE, baseUnit, null, null, value);
  }
}
