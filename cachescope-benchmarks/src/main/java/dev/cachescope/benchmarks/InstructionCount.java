package dev.cachescope.benchmarks;

import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.Source;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The instructions that watching a lookup adds, counted by Valgrind's callgrind: a count that a
 * noisy machine does not move, where JMH's nanoseconds do. Each variant runs in a JVM of its own
 * and makes the lookups of {@link OverheadBenchmark} (16,384 present {@code Integer} keys in turn,
 * the monitor calls of its {@code monitoredGet}) against a {@link ConcurrentHashMap}, not Caffeine:
 * Caffeine's own count moves by a hundred instructions a lookup between runs under Valgrind (how
 * full its read buffer is depends on when its maintenance thread gets to run), which would drown
 * the differences measured here. {@code stats} adds what Caffeine's {@code recordStats()} adds to a
 * hit, a {@link ConcurrentStatsCounter}; the others add a {@link CacheMonitor}'s calls: {@code
 * disabled}, {@code nosizing} (the default but for sizing advice) and {@code sizing} (the default,
 * its sizing sample at one key in 2^20, so that it follows none of the 16,384: what nearly every
 * lookup pays once sizing's rate has settled under load, a hash and a compare). What a followed
 * key's reference costs is not counted here: how often a caller drains its own sizing ring depends
 * on how fast the publisher runs, which Valgrind distorts; {@link SizingSampleBenchmark} times it.
 *
 * <p>Run it through {@code cachescope-benchmarks/instruction-count.sh}, which turns callgrind's
 * counting on for the measured lookups only, after the warm-up, and divides. The warm-up goes on
 * until the JIT is idle (its total compilation time still for a second), so that the count is of
 * C2's code, not of C1's profiling code. Handshake with the script, through files in {@code dir}:
 * writes {@code warm} when warmed up, waits for {@code go}, makes the measured lookups, writes
 * {@code done}, waits for {@code stop}.
 *
 * <p>{@code java -cp benchmarks.jar dev.cachescope.benchmarks.InstructionCount VARIANT DIR WARMUP
 * LOOKUPS}, VARIANT one of {@code bare stats disabled nosizing sizing}.
 */
public final class InstructionCount {
  private static final int KEYS = OverheadBenchmark.KEYS;
  private static final int MASK = OverheadBenchmark.MASK;
  private static final int BATCH = 1_000;
  private static final long NANOS_PER_LOOKUP = 20;
  private static final String VARIANTS = "bare, stats, disabled, nosizing, sizing";

  private final Integer[] keys = new Integer[KEYS];
  private final Map<Integer, Integer> map = new ConcurrentHashMap<>();
  private final @Nullable StatsCounter stats;
  private final @Nullable CacheMonitor monitor;

  /**
   * Lookups made so far, which is also the monitors' clock: see {@link #virtualNanos}. Written by
   * the measuring thread only; the publisher reads it plainly (a long read is atomic on the 64-bit
   * JVMs this runs on).
   */
  private static long lookupsMade;

  private InstructionCount(@Nullable StatsCounter stats, @Nullable CacheMonitor monitor) {
    this.stats = stats;
    this.monitor = monitor;
    for (int i = 0; i < KEYS; i++) {
      keys[i] = i;
      map.put(i, i);
    }
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    String usage = "usage: InstructionCount VARIANT DIR WARMUP LOOKUPS; VARIANT one of " + VARIANTS;
    if (args.length != 4) {
      fail(usage);
    }
    Path dir = Path.of(args[1]);
    long warmup = count(args[2], "WARMUP", usage);
    long lookups = count(args[3], "LOOKUPS", usage);
    try (MetricsAggregator aggregator = MetricsAggregator.create()) {
      InstructionCount run = create(args[0].toLowerCase(Locale.ROOT), aggregator);
      long sink = run.lookups(warmup);
      // Until the JIT is idle: measuring while C2 still compiles would count C1's profiling code.
      CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
      long compiling;
      int rounds = 0;
      do {
        compiling = jit.getTotalCompilationTime();
        sink += run.lookups(warmup / 4);
        Thread.sleep(1_000);
      } while (jit.getTotalCompilationTime() != compiling && ++rounds < 30);
      handshake(dir, "warm", "go");
      sink += run.lookups(lookups);
      handshake(dir, "done", "stop");
      System.out.println("checksum " + sink);
    }
  }

  private static long count(String text, String name, String usage) {
    try {
      long count = Long.parseLong(text);
      if (count >= BATCH) {
        return count;
      }
    } catch (NumberFormatException e) {
      // the message below says what was expected
    }
    fail(
        name
            + " must be a whole number of lookups, at least "
            + BATCH
            + ", was '"
            + text
            + "'; "
            + usage);
    return 0;
  }

  private static void fail(String message) {
    System.err.println("InstructionCount: " + message);
    System.exit(2);
  }

  private static InstructionCount create(String variant, MetricsAggregator aggregator) {
    switch (variant) {
      case "bare":
        return new InstructionCount(null, null);
      case "stats":
        return new InstructionCount(new ConcurrentStatsCounter(), null);
      case "disabled":
        return monitored(aggregator, CacheMonitor.builder(variant).enabled(false));
      case "nosizing":
        return monitored(aggregator, CacheMonitor.builder(variant).sizingSampleRate(0));
      case "sizing":
        return monitored(aggregator, CacheMonitor.builder(variant).sizingSampleRate(1 << 20));
      default:
        fail("unknown variant '" + variant + "'; expected one of " + VARIANTS);
        throw new AssertionError("exited");
    }
  }

  private static InstructionCount monitored(
      MetricsAggregator aggregator, CacheMonitor.Builder monitor) {
    return new InstructionCount(
        null, aggregator.register(monitor.ticker(InstructionCount::virtualNanos).build()));
  }

  /**
   * The monitors' clock: {@value #NANOS_PER_LOOKUP} ns a lookup, the pace of a thread in {@link
   * OverheadBenchmark}, whatever Valgrind's slowdown. With the wall clock, the timing budget would
   * see a thread fifty times slower than under JMH and time fifty times more of its lookups; with
   * this one it times about one lookup in 12,500 (its 250 µs spacing), as under JMH, and reading it
   * costs a load and a multiply instead of a system clock read.
   */
  private static long virtualNanos() {
    return 1_000_000_000L + lookupsMade * NANOS_PER_LOOKUP;
  }

  /** {@code count} lookups, rounded down to whole batches. */
  private long lookups(long count) {
    long sink = 0;
    for (long batch = 0; batch < count / BATCH; batch++) {
      sink += batch();
    }
    return sink;
  }

  /**
   * A method the JIT compiles as a whole, called many times (as JMH's stub calls a benchmark),
   * rather than one long loop that only on-stack replacement would compile.
   */
  private long batch() {
    long sink = 0;
    for (int i = 0; i < BATCH; i++) {
      Integer value = lookup(keys[(int) (lookupsMade++ & MASK)]);
      sink += value == null ? 0 : value;
    }
    return sink;
  }

  /**
   * One lookup, as {@link OverheadBenchmark} makes it. The script keeps the JIT from inlining this
   * method into {@link #batch}, so that every variant compiles to the same shape, a call per
   * lookup, and the difference between two variants is what each adds to a lookup.
   */
  private @Nullable Integer lookup(Integer key) {
    CacheMonitor watching = monitor;
    if (watching != null) {
      long start = watching.startLookup();
      Integer value = map.get(key);
      if (value != null) {
        watching.recordHit(start, Source.MEMORY, key);
      } else {
        watching.recordMiss(start, null, key);
      }
      return value;
    }
    Integer value = map.get(key);
    StatsCounter counting = stats;
    if (counting != null && value != null) {
      counting.recordHits(1);
    }
    return value;
  }

  private static void handshake(Path dir, String signal, String await)
      throws IOException, InterruptedException {
    Files.createFile(dir.resolve(signal));
    while (!Files.exists(dir.resolve(await))) {
      Thread.sleep(1);
    }
  }
}
