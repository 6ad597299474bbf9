package dev.cachescope.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.Source;
import dev.cachescope.instrument.caffeine.CaffeineMonitoring;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of watching a cache hit: Caffeine {@code getIfPresent} over 16K present keys, bare and
 * under each way of monitoring it, in one run so the ratios compare like with like.
 *
 * <p>{@code java -jar cachescope-benchmarks/target/benchmarks.jar OverheadBenchmark -t 2 -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class OverheadBenchmark {
  static final int KEYS = 1 << 14;
  static final int MASK = KEYS - 1;

  Integer[] keys;
  Cache<Integer, Integer> cache;
  Cache<Integer, Integer> statsCache;
  Cache<Integer, Integer> adapterCache;
  Timer timer;
  MetricsAggregator aggregator;
  CacheMonitor defaultMonitor;
  CacheMonitor fullFidelityMonitor;
  CacheMonitor disabledMonitor;
  CacheMonitor noSizingMonitor;

  /** Each thread walks the keys from its own offset. */
  @State(Scope.Thread)
  public static class Cursor {
    int index = (int) (Thread.currentThread().getId() * 7919);

    int next() {
      return index++ & MASK;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    keys = new Integer[KEYS];
    cache = Caffeine.newBuilder().maximumSize(2L * KEYS).build();
    statsCache = Caffeine.newBuilder().maximumSize(2L * KEYS).recordStats().build();
    for (int i = 0; i < KEYS; i++) {
      keys[i] = i;
      cache.put(i, i);
      statsCache.put(i, i);
    }
    timer = Timer.builder("cache.get").register(new SimpleMeterRegistry());
    // Monitors registered with a running publisher, as an application would have them.
    aggregator = MetricsAggregator.create();
    defaultMonitor = aggregator.register(CacheMonitor.create("default"));
    fullFidelityMonitor = aggregator.register(CacheMonitor.builder("full").fullFidelity().build());
    disabledMonitor = aggregator.register(CacheMonitor.builder("off").enabled(false).build());
    noSizingMonitor =
        aggregator.register(CacheMonitor.builder("no-sizing").sizingSampleRate(0).build());
    adapterCache =
        CaffeineMonitoring.build(
            Caffeine.newBuilder().maximumSize(2L * KEYS), aggregator, "adapter");
    for (int i = 0; i < KEYS; i++) {
      adapterCache.put(i, i);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    aggregator.close();
  }

  @Benchmark
  public Integer bareCaffeine(Cursor cursor) {
    return cache.getIfPresent(keys[cursor.next()]);
  }

  @Benchmark
  public Integer caffeineRecordStats(Cursor cursor) {
    return statsCache.getIfPresent(keys[cursor.next()]);
  }

  @Benchmark
  public Integer micrometerTimer(Cursor cursor) {
    Integer key = keys[cursor.next()];
    return timer.record(() -> cache.getIfPresent(key));
  }

  @Benchmark
  public Integer cachescopeDefault(Cursor cursor) {
    return monitoredGet(defaultMonitor, keys[cursor.next()]);
  }

  @Benchmark
  public Integer cachescopeFullFidelity(Cursor cursor) {
    return monitoredGet(fullFidelityMonitor, keys[cursor.next()]);
  }

  /**
   * The default without sizing advice: the difference to cachescopeDefault is what sizing's
   * hash-and-compare per lookup, and staging the references of the keys it follows, cost a hit.
   */
  @Benchmark
  public Integer cachescopeNoSizing(Cursor cursor) {
    return monitoredGet(noSizingMonitor, keys[cursor.next()]);
  }

  @Benchmark
  public Integer cachescopeDisabled(Cursor cursor) {
    return monitoredGet(disabledMonitor, keys[cursor.next()]);
  }

  /** The one-line Caffeine adapter: the same recording as cachescopeDefault, behind a wrapper. */
  @Benchmark
  public Integer cachescopeCaffeineAdapter(Cursor cursor) {
    return adapterCache.getIfPresent(keys[cursor.next()]);
  }

  private Integer monitoredGet(CacheMonitor monitor, Integer key) {
    long start = monitor.startLookup();
    Integer value = cache.getIfPresent(key);
    if (value != null) {
      monitor.recordHit(start, Source.MEMORY, key);
    } else {
      monitor.recordMiss(start, null, key);
    }
    return value;
  }
}
