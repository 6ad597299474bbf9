package dev.cachescope.export.metrics;

import dev.cachescope.CacheMonitor;
import dev.cachescope.CacheOperation;
import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.MetricsListener;
import dev.cachescope.Operation;
import dev.cachescope.RegistrationListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Publishes every cache of an aggregator into a Micrometer {@link MeterRegistry}: every meter of
 * the {@link MetricCatalog}, the same list {@code /metrics} publishes (Micrometer's own cache meter
 * names where they exist, {@code cache.gets} tagged {@code result=hit|miss}, {@code cache.puts},
 * {@code cache.size}, ...), and the {@link Timer} {@code cache.operation.duration} tagged {@code
 * operation} ({@code get}, {@code load}, {@code set}). Every meter has the tag {@code cache}, and
 * the tags the constructor gives.
 *
 * <p>The timer is the registry's own, so the registry's distribution configuration applies to it
 * (in Spring Boot, {@code management.metrics.distribution.*}: percentiles, SLO boundaries, expiry),
 * and every registry exports it as it exports timers. By default it publishes a percentile
 * histogram from 100 ns to 10 s (in Prometheus, {@code cache_operation_duration_seconds_bucket}).
 * It records each <em>timed</em> operation once, as the binder receives it from the aggregator's
 * drain (a {@link MetricsListener}, on the publisher thread): loads and writes are all timed, but a
 * busy thread times one lookup in N, so its {@code get} count is the number of timed lookups, not
 * of lookups ({@code cache.gets} has the exact count), and its distribution is that of the sample.
 * Micrometer has no way to record one duration with a weight.
 *
 * <p>Caches registered after binding get meters when they register; meters of unregistered caches
 * are removed. The catalog's meters read a snapshot at most once per second per cache, so a
 * registry that reads many meters in one scrape takes one snapshot per cache.
 */
public final class CachescopeMeterBinder implements MeterBinder {
  private static final long FRESH_NANOS = 1_000_000_000L;

  /** The operations timed into {@code cache.operation.duration}, as {@code /metrics} has them. */
  private static final List<Operation> TIMED =
      List.of(Operation.GET, Operation.LOAD, Operation.SET);

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
    Binding binding = new Binding(registry);
    aggregator.addRegistrationListener(binding);
    aggregator.addListener(binding);
  }

  /** One registry's meters: registered with the caches, fed the timed operations. */
  private final class Binding implements RegistrationListener, MetricsListener {
    private final MeterRegistry registry;
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();
    private final Map<String, Map<Operation, Timer>> timers = new ConcurrentHashMap<>();

    Binding(MeterRegistry registry) {
      this.registry = registry;
    }

    @Override
    public void registered(CacheMonitor monitor) {
      String cache = monitor.name();
      Tags tags = extraTags.and(cacheTags.apply(cache)).and("cache", cache);
      List<Meter> registered = catalogMeters(registry, cache, tags);
      Map<Operation, Timer> byOperation = new EnumMap<>(Operation.class);
      for (Operation operation : TIMED) {
        Timer timer =
            Timer.builder("cache.operation.duration")
                .description(
                    "Durations of the timed operations (every load and write; a busy thread"
                        + " times one lookup in N, cache.gets counts them all)")
                .tags(tags.and("operation", operation.toString()))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        byOperation.put(operation, timer);
        registered.add(timer);
      }
      timers.put(cache, byOperation);
      meters.put(cache, registered);
    }

    @Override
    public void unregistered(String name) {
      timers.remove(name);
      List<Meter> removed = meters.remove(name);
      if (removed != null) {
        removed.forEach(registry::remove);
      }
      snapshots.remove(name);
    }

    @Override
    public void onOperations(String cacheName, List<CacheOperation> operations) {
      Map<Operation, Timer> byOperation = timers.get(cacheName);
      if (byOperation == null) {
        return;
      }
      for (CacheOperation operation : operations) {
        Double durationMs = operation.durationMs();
        Timer timer = byOperation.get(operation.operation());
        if (durationMs != null && timer != null) {
          timer.record(Math.round(durationMs * 1e6), TimeUnit.NANOSECONDS);
        }
      }
    }
  }

  private List<Meter> catalogMeters(MeterRegistry registry, String cache, Tags tags) {
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
    return meters;
  }

  private double read(String cache, ToDoubleFunction<CacheSnapshot> value) {
    CacheSnapshot snapshot = snapshot(cache);
    return snapshot == null ? Double.NaN : value.applyAsDouble(snapshot);
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
