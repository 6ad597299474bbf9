package dev.cachescope.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
 * The hit of {@link AgentHitBenchmark} in a cache built with plain Caffeine in a JVM running the
 * agent; run both in one JMH run: {@code java -jar cachescope-benchmarks/target/benchmarks.jar
 * AgentHitBenchmark -f 3}, from the repository root (the forks find the agent jar there).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "-javaagent:cachescope-agent/target/cachescope-agent.jar=port=0")
@State(Scope.Benchmark)
public class AgentHitBenchmarkUnderAgent {
  Integer[] keys;
  Cache<Integer, Integer> cache;

  @Setup(Level.Trial)
  public void setUp() {
    keys = new Integer[AgentHitBenchmark.KEYS];
    cache = Caffeine.newBuilder().maximumSize(2L * AgentHitBenchmark.KEYS).build();
    if (!cache.getClass().getName().startsWith("dev.cachescope.")) {
      throw new IllegalStateException(
          "the agent did not monitor this cache ("
              + cache.getClass().getName()
              + "): run from the repository root after mvn package");
    }
    for (int i = 0; i < AgentHitBenchmark.KEYS; i++) {
      keys[i] = i;
      cache.put(i, i);
    }
  }

  @Benchmark
  public Integer agent(AgentHitBenchmark.Cursor cursor) {
    return cache.getIfPresent(keys[cursor.next()]);
  }
}
