package dev.cachescope.benchmarks;

import dev.cachescope.insight.ShardsEstimator;
import dev.cachescope.insight.SpaceSaving;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The publisher-side cost of the insights per drained record: one Space-Saving offer (hot keys) and
 * one SHARDS reference (sizing), over a skewed stream of 1M keys (key = 1M^u, u uniform, so small
 * keys are hot). These run off the cache caller's thread.
 *
 * <p>{@code java -jar cachescope-benchmarks/target/benchmarks.jar InsightsBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class InsightsBenchmark {
  private static final int STREAM = 1 << 20;

  int[] keys;
  int next;
  SpaceSaving hotKeys;
  ShardsEstimator sizing;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(1);
    keys = new int[STREAM];
    for (int i = 0; i < STREAM; i++) {
      keys[i] = (int) Math.pow(1_000_000, random.nextDouble());
    }
    hotKeys = new SpaceSaving(256);
    sizing = new ShardsEstimator(8_192, 4);
  }

  @Benchmark
  public void hotKeyOffer() {
    hotKeys.offer(keys[next++ & (STREAM - 1)], null);
  }

  @Benchmark
  public long sizingReference() {
    return sizing.access(keys[next++ & (STREAM - 1)], next);
  }
}
