package dev.cachescope.benchmarks;

import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.Source;
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
 * What following keys for sizing advice costs an untimed hit: {@code recordHit} without a clock
 * reading (all but a few thousand hits a second take this path), with sizing on (the default: every
 * key at first, fewer once the thread's samples outrun their budget) and off. The difference is the
 * sizing sampler's amortised hot-path cost, without a cache lookup's noise around it.
 *
 * <p>{@code java -jar cachescope-benchmarks/target/benchmarks.jar SizingSampleBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class SizingSampleBenchmark {
  Integer[] keys;
  MetricsAggregator aggregator;
  CacheMonitor withSizing;
  CacheMonitor withoutSizing;

  @Setup(Level.Trial)
  public void setUp() {
    keys = new Integer[OverheadBenchmark.KEYS];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = i;
    }
    aggregator = MetricsAggregator.create();
    withSizing = aggregator.register(CacheMonitor.create("sizing"));
    withoutSizing =
        aggregator.register(CacheMonitor.builder("no-sizing").sizingSampleRate(0).build());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    aggregator.close();
  }

  @Benchmark
  public void untimedHitWithSizing(OverheadBenchmark.Cursor cursor) {
    withSizing.recordHit(CacheMonitor.NOT_TIMED, Source.MEMORY, keys[cursor.next()]);
  }

  @Benchmark
  public void untimedHitWithoutSizing(OverheadBenchmark.Cursor cursor) {
    withoutSizing.recordHit(CacheMonitor.NOT_TIMED, Source.MEMORY, keys[cursor.next()]);
  }
}
