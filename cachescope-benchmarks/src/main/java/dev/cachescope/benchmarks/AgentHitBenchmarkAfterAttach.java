package dev.cachescope.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Path;
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
 * The hit of {@link AgentHitBenchmark} after {@code cachescope attach}: {@code builtBefore} in a
 * cache built before the agent attached (seen through Caffeine's own cache class, found by identity
 * on each call), {@code builtAfter} in one built after (the adapter's wrapper, whose inner cache
 * the same hook skips). The fork attaches the agent to itself; run from the repository root with
 * the others: {@code java -jar cachescope-benchmarks/target/benchmarks.jar AgentHitBenchmark -f 3}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading"})
@State(Scope.Benchmark)
public class AgentHitBenchmarkAfterAttach {
  Integer[] keys;
  Cache<Integer, Integer> before;
  Cache<Integer, Integer> after;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    keys = new Integer[AgentHitBenchmark.KEYS];
    before = Caffeine.newBuilder().maximumSize(2L * AgentHitBenchmark.KEYS).build();
    VirtualMachine self = VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
    try {
      self.loadAgent(
          Path.of("cachescope-agent/target/cachescope-agent.jar").toAbsolutePath().toString(),
          "port=0");
    } finally {
      self.detach();
    }
    after = Caffeine.newBuilder().maximumSize(2L * AgentHitBenchmark.KEYS).build();
    if (!after.getClass().getName().startsWith("dev.cachescope.")) {
      throw new IllegalStateException("the agent did not attach: run from the repository root");
    }
    for (int i = 0; i < AgentHitBenchmark.KEYS; i++) {
      keys[i] = i;
      before.put(i, i);
      after.put(i, i);
    }
  }

  @Benchmark
  public Integer builtBefore(AgentHitBenchmark.Cursor cursor) {
    return before.getIfPresent(keys[cursor.next()]);
  }

  @Benchmark
  public Integer builtAfter(AgentHitBenchmark.Cursor cursor) {
    return after.getIfPresent(keys[cursor.next()]);
  }
}
