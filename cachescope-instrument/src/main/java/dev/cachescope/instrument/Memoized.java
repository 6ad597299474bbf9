package dev.cachescope.instrument;

import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.instrument.caffeine.CaffeineMonitoring;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Monitored memoization, one cache per memoized supplier or function — the per-function breakdown
 * the seed design's {@code @cached} decorator lacked:
 *
 * <pre>{@code
 * MemoizedSupplier<ServiceContainer> container =
 *     Memoized.supplier(ServiceContainer::new, aggregator, "ServiceContainer");
 * Function<String, Definition> generate =
 *     Memoized.function(this::generateDefinition, aggregator, "generateDefinition",
 *         Duration.ofHours(1), 10_000);
 * }</pre>
 */
public final class Memoized {
  private Memoized() {}

  /** A supplier that computes once; see {@link MemoizedSupplier} for what is counted. */
  public static <T> MemoizedSupplier<T> supplier(
      Supplier<? extends T> supplier, MetricsAggregator aggregator, String name) {
    MemoizedSupplier<T> memoized = new MemoizedSupplier<>(supplier);
    memoized.monitorWith(
        Registration.register(
            aggregator, CacheMonitor.builder(name), memoized, MemoizedSupplier.Inspector.INSTANCE));
    return memoized;
  }

  /**
   * A function that remembers its results, kept for {@code ttl} after they are computed (null:
   * forever) and at most {@code maximumSize} of them (0: unbounded). Backed by a Caffeine
   * LoadingCache built with {@link CaffeineMonitoring}, so Caffeine must be on the class path;
   * lookups, loads and evictions are counted as that class describes. A null result is returned but
   * not remembered; a thrown exception reaches the caller and is a load failure.
   *
   * @throws IllegalArgumentException if {@code maximumSize} is negative or {@code ttl} is not
   *     positive
   */
  public static <K, V> Function<K, @Nullable V> function(
      Function<? super K, ? extends @Nullable V> function,
      MetricsAggregator aggregator,
      String name,
      @Nullable Duration ttl,
      long maximumSize) {
    return CaffeineMonitoring.memoize(function, aggregator, name, ttl, maximumSize);
  }
}
