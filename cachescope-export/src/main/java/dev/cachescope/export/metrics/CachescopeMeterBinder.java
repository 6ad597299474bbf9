package dev.cachescope.export.metrics;

import dev.cachescope.CacheMonitor;
import dev.cachescope.CacheSnapshot;
import dev.cachescope.LatencySummary;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.RegistrationListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Publishes every cache of an aggregator into a Micrometer {@link MeterRegistry}: every meter of
 * the {@link MetricCatalog}, the same list {@code /metrics} publishes (Micrometer's own cache meter
 * names where they exist, {@code cache.gets} tagged {@code result=hit|miss}, {@code cache.puts},
 * {@code cache.size}, ...), and {@code cache.operation.duration.percentile} (gauges in seconds,
 * tagged {@code operation} and {@code phi} as Micrometer tags a timer's published percentiles; a
 * {@code quantile} tag is reserved for summaries in Prometheus). Every meter has the tag {@code
 * cache}, and the tags the constructor gives.
 *
 * <p>Caches registered after binding get meters when they register; meters of unregistered caches
 * are removed. The meters read a snapshot at most once per second per cache, so a registry that
 * reads many meters in one scrape takes one snapshot per cache.
 */
public final class CachescopeMeterBinder implements MeterBinder {
  private static final long FRESH_NANOS = 1_000_000_000L;
  private static final double[] QUANTILES = {0.5, 0.95, 0.99, 0.999};

  private final MetricsAggregator aggregator;
  private final Tags extraTags;
  private final Function<String, ? extends Iterable<Tag>> cacheTags;
  private final Map<String, Fresh> snapshots = new ConcurrentHashMap<>();

  /**
   * A binder for {@code aggregator}'s caches, with {@code tags} added to every meter and {@code
   * cacheTags} of a cache's name added to that cache's meters (the Spring Boot starter adds
   * Spring's {@code cache.manager} and {@code name}, as Spring Boot's own cache meters have them).
   * {@code cacheTags} is asked once, when the cache registers.
   */
  public CachescopeMeterBinder(
      MetricsAggregator aggregator,
      Iterable<Tag> tags,
      Function<String, ? extends Iterable<Tag>> cacheTags) {
    this.aggregator = aggregator;
    this.extraTags = Tags.of(tags);
    this.cacheTags = cacheTags;
  }

  /** A binder for {@code aggregator}'s caches, with {@code tags} added to every meter. */
  public CachescopeMeterBinder(MetricsAggregator aggregator, Iterable<Tag> tags) {
    this(aggregator, tags, cache -> Tags.empty());
  }

  /** A binder for {@code aggregator}'s caches. */
  public CachescopeMeterBinder(MetricsAggregator aggregator) {
    this(aggregator, Tags.empty());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    aggregator.addRegistrationListener(
        new RegistrationListener() {
          private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

          @Override
          public void registered(CacheMonitor monitor) {
            meters.put(monitor.name(), register(registry, monitor.name()));
          }

          @Override
          public void unregistered(String name) {
            List<Meter> removed = meters.remove(name);
            if (removed != null) {
              removed.forEach(registry::remove);
            }
            snapshots.remove(name);
          }
        });
  }

  private List<Meter> register(MeterRegistry registry, String cache) {
    Tags tags = extraTags.and(cacheTags.apply(cache)).and("cache", cache);
    List<Meter> meters = new CopyOnWriteArrayList<>();
    for (MetricCatalog.Metric metric : MetricCatalog.METRICS) {
      String tagKey = metric.tagKey();
      String tagValue = metric.tagValue();
      Tags metricTags = tagKey == null || tagValue == null ? tags : tags.and(tagKey, tagValue);
      meters.add(
          metric.kind() == MetricCatalog.Kind.COUNTER
              ? FunctionCounter.builder(
                      metric.name(), this, binder -> binder.read(cache, metric.value()))
                  .description(metric.help())
                  .baseUnit(metric.baseUnit())
                  .tags(metricTags)
                  .register(registry)
              : Gauge.builder(metric.name(), this, binder -> binder.read(cache, metric.value()))
                  .description(metric.help())
                  .baseUnit(metric.baseUnit())
                  .tags(metricTags)
                  .register(registry));
    }
    for (String operation : List.of("get", "set", "delete", "load")) {
      for (double quantile : QUANTILES) {
        meters.add(
            Gauge.builder(
                    "cache.operation.duration.percentile",
                    this,
                    binder -> binder.quantileSeconds(cache, operation, quantile))
                .description("Operation duration quantile since the monitor started")
                .baseUnit("seconds")
                .tags(tags.and("operation", operation).and("phi", Double.toString(quantile)))
                .register(registry));
      }
    }
    return meters;
  }

  private double read(String cache, ToDoubleFunction<CacheSnapshot> value) {
    CacheSnapshot snapshot = snapshot(cache);
    return snapshot == null ? Double.NaN : value.applyAsDouble(snapshot);
  }

  private double quantileSeconds(String cache, String operation, double quantile) {
    CacheSnapshot snapshot = snapshot(cache);
    LatencySummary latency = snapshot == null ? null : snapshot.latencyMs().get(operation);
    if (latency == null) {
      return Double.NaN;
    }
    double ms =
        quantile == 0.5
            ? latency.p50Ms()
            : quantile == 0.95
                ? latency.p95Ms()
                : quantile == 0.99 ? latency.p99Ms() : latency.p999Ms();
    return ms / 1e3;
  }

  private @Nullable CacheSnapshot snapshot(String cache) {
    long now = System.nanoTime();
    Fresh fresh = snapshots.get(cache);
    if (fresh != null && now - fresh.takenNanos < FRESH_NANOS) {
      return fresh.snapshot;
    }
    CacheSnapshot snapshot = aggregator.snapshot(cache).orElse(null);
    if (snapshot != null) {
      snapshots.put(cache, new Fresh(snapshot, now));
    }
    return snapshot;
  }

  private record Fresh(CacheSnapshot snapshot, long takenNanos) {}
}
