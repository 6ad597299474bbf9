package dev.cachescope.insight;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * Measures what a cache's entries take on the heap: the deep size (JOL's {@code GraphLayout}) of a
 * sample of entries, each key and value together, extrapolated to every entry, with a 95%
 * confidence bound. When the sample is every entry the size is measured, not estimated.
 *
 * <p>What is counted: everything reachable from the sampled keys and values. Objects shared between
 * entries (a common prefix string, an enum) are counted once per entry, so the estimate errs high
 * for heavily shared graphs; the cache's own bookkeeping per entry (nodes, tables) is not counted.
 *
 * <p>JOL reads object layouts through {@code sun.misc.Unsafe}. Where the JVM refuses (JOL missing
 * from the class path, or {@code --sun-misc-unsafe-memory-access=deny} on JDK 23+), {@link
 * #estimate} returns {@link #UNKNOWN} and every later call does too, without trying again.
 * Thread-safe.
 */
public final class MemorySampler {
  /**
   * A memory figure.
   *
   * @param bytes the entries' estimated size in bytes, or -1 when unknown
   * @param errorBytes half-width of the 95% confidence interval around {@code bytes}; 0 when
   *     measured
   * @param method {@code "measured"} (every entry), {@code "sampled"} (a sample, extrapolated) or
   *     {@code "unknown"}
   */
  public record Estimate(long bytes, long errorBytes, String method) {}

  /** The answer when nothing can be measured. */
  public static final Estimate UNKNOWN = new Estimate(-1, 0, "unknown");

  private static final System.Logger LOG = System.getLogger("dev.cachescope");
  private static volatile boolean refused;
  private static volatile boolean warned;

  static {
    // JOL would otherwise try to attach an agent to this JVM, or spawn a process to do it; the
    // sizes it needs come from Unsafe alone.
    // magicFieldOffset: Unsafe.objectFieldOffset refuses the fields of records and hidden classes.
    // skipHotspotSAAttach: the Serviceability Agent would only refine addresses, which sizes do
    // not need; attaching it may spawn a process.
    for (String property :
        new String[] {
          "jol.skipDynamicAttach",
          "jol.skipInstallAttach",
          "jol.magicFieldOffset",
          "jol.skipHotspotSAAttach"
        }) {
      if (System.getProperty(property) == null) {
        System.setProperty(property, "true");
      }
    }
  }

  /**
   * How JOL's start-up warnings begin (no instrumentation; no Serviceability Agent, even when told
   * to skip it), which it prints to stdout and no property turns off.
   */
  private static final String JOL_WARNING = "# WARNING: Unable to ";

  private static volatile boolean started;

  private MemorySampler() {}

  /**
   * Estimates the size of {@code totalEntries} entries from {@code sample}, some of them.
   *
   * @param sample entries picked from the cache, at most {@code totalEntries}
   * @param totalEntries how many entries the cache holds
   */
  public static Estimate estimate(List<? extends Map.Entry<?, ?>> sample, long totalEntries) {
    if (refused || totalEntries < 0) {
      return UNKNOWN;
    }
    if (sample.isEmpty() || totalEntries == 0) {
      return new Estimate(0, 0, totalEntries == 0 ? "measured" : "unknown");
    }
    double sum = 0;
    double sumOfSquares = 0;
    int n = 0;
    try {
      startJol();
      for (Map.Entry<?, ?> entry : sample) {
        double size = deepSize(entry.getKey(), entry.getValue());
        sum += size;
        sumOfSquares += size * size;
        n++;
      }
    } catch (LinkageError | UnsupportedOperationException | SecurityException e) {
      // JOL is missing, or the JVM refuses Unsafe: that will not change while it runs.
      refused = true;
      LOG.log(
          System.Logger.Level.WARNING,
          "cachescope cannot measure object sizes on this JVM ("
              + e
              + "); memory_usage_bytes is reported as unknown from now on");
      return UNKNOWN;
    } catch (RuntimeException e) {
      // An object JOL cannot walk: unknown this time; the next sample may hold other objects.
      if (!warned) {
        warned = true;
        LOG.log(
            System.Logger.Level.WARNING,
            "cachescope could not measure a cache entry's size (" + e + "); memory is unknown");
      }
      return UNKNOWN;
    }
    double mean = sum / n;
    if (n >= totalEntries) {
      return new Estimate(Math.round(sum), 0, "measured");
    }
    double variance = n > 1 ? Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1)) : mean * mean;
    double finitePopulation = Math.sqrt(1 - (double) n / totalEntries);
    double error = 1.96 * Math.sqrt(variance / n) * finitePopulation * totalEntries;
    return new Estimate(Math.round(mean * totalEntries), Math.round(error), "sampled");
  }

  /**
   * Starts JOL's view of the VM once, with stdout filtered so that JOL's start-up warnings (it
   * needs neither instrumentation nor the agent here) reach no one; every other line written
   * meanwhile, from any thread, goes through unchanged.
   */
  @SuppressWarnings("ReferenceEquality") // restores stdout only if no one replaced it meanwhile
  private static void startJol() {
    if (started) {
      return;
    }
    synchronized (MemorySampler.class) {
      if (started) {
        return;
      }
      PrintStream out = System.out;
      PrintStream filtered =
          new PrintStream(out, true, Charset.defaultCharset()) {
            @Override
            public void println(@Nullable String line) {
              if (line == null || !line.startsWith(JOL_WARNING)) {
                super.println(line);
              }
            }
          };
      System.setOut(filtered);
      try {
        VM.current();
      } finally {
        if (System.out == filtered) {
          System.setOut(out);
        }
        started = true;
      }
    }
  }

  private static long deepSize(@Nullable Object key, @Nullable Object value) {
    if (key == null && value == null) {
      return 0;
    }
    if (key == null || value == null) {
      return GraphLayout.parseInstance(key == null ? value : key).totalSize();
    }
    return GraphLayout.parseInstance(key, value).totalSize();
  }
}
