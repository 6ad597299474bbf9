package dev.cachescope.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.instrument.caffeine.CaffeineMonitoring;
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
 * A Caffeine hit three ways, for the agent's cost: {@code bare} (no monitoring), {@code adapter}
 * ({@code CaffeineMonitoring.build}) and {@code agent}: a cache the application builds with plain
 * {@code Caffeine.newBuilder()...build()} in a JVM started with {@code -javaagent}, in {@link
 * AgentHitBenchmarkUnderAgent}, whose forks load the agent jar. Run from the repository root, after
 * {@code mvn package}:
 *
 * <p>{@code java -jar cachescope-benchmarks/target/benchmarks.jar AgentHitBenchmark -f 3}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Benchmark)
public class AgentHitBenchmark {
  static final int KEYS = 1 << 14;
  static final int MASK = KEYS - 1;

  Integer[] keys;
  Cache<Integer, Integer> bare;
  Cache<Integer, Integer> adapter;
  MetricsAggregator aggregator;

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
    aggregator = MetricsAggregator.create();
    bare = Caffeine.newBuilder().maximumSize(2L * KEYS).build();
    adapter =
        CaffeineMonitoring.build(Caffeine.newBuilder().maximumSize(2L * KEYS), aggregator, "hits");
    for (int i = 0; i < KEYS; i++) {
      keys[i] = i;
      bare.put(i, i);
      adapter.put(i, i);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    aggregator.close();
  }

  @Benchmark
  public Integer bare(Cursor cursor) {
    return bare.getIfPresent(keys[cursor.next()]);
  }

  @Benchmark
  public Integer adapter(Cursor cursor) {
    return adapter.getIfPresent(keys[cursor.next()]);
  }
}
