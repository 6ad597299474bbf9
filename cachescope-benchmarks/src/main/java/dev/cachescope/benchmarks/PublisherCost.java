package dev.cachescope.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.SizingAdvice;
import dev.cachescope.instrument.caffeine.CaffeineMonitoring;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * What a busy cache costs the publisher thread: one Caffeine cache built with the adapter, looked
 * up at a fixed rate (10 million a second by default, over 50,000 keys that all fit, a put on each
 * miss) for a number of seconds; prints the publisher thread's CPU time as a share of one core and
 * the monitor's retained size without the cache's own entries (JOL). Not JMH: it measures another
 * thread's CPU, which JMH cannot.
 *
 * <p>{@code java -cp cachescope-benchmarks/target/benchmarks.jar
 * dev.cachescope.benchmarks.PublisherCost 10000000 20}
 */
public final class PublisherCost {
  private PublisherCost() {}

  public static void main(String[] args) throws InterruptedException {
    long rate = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    MetricsAggregator aggregator = MetricsAggregator.create();
    Cache<Integer, Integer> cache =
        CaffeineMonitoring.build(Caffeine.newBuilder().maximumSize(100_000), aggregator, "busy");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long publisher = publisherId();
    SplittableRandom random = new SplittableRandom(7);
    long cpuStart = threads.getThreadCpuTime(publisher);
    long start = System.nanoTime();
    long done = 0;
    long end = start + seconds * 1_000_000_000L;
    long now;
    while ((now = System.nanoTime()) < end) {
      long due = Math.min((now - start) * rate / 1_000_000_000L, done + 1024);
      for (; done < due; done++) {
        int key = random.nextInt(50_000);
        if (cache.getIfPresent(key) == null) {
          cache.put(key, key);
        }
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    double cpu = (threads.getThreadCpuTime(publisher) - cpuStart) / 1e9;
    SizingAdvice sizing =
        Objects.requireNonNull(aggregator.snapshot("busy").orElseThrow().sizing());
    System.out.printf(
        Locale.ROOT,
        "%,d lookups in %.1f s (%,.0f a second); publisher CPU %.2f s = %.1f%% of one core;"
            + " sizing settled at rate %.6f with %,d keys followed%n",
        done,
        elapsed,
        done / elapsed,
        cpu,
        100 * cpu / elapsed,
        sizing.sampleRate(),
        sizing.sampledKeys());
    aggregator.close();
  }

  private static long publisherId() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("cachescope-publisher")) {
        return t.getId();
      }
    }
    throw new IllegalStateException("no cachescope-publisher thread");
  }
}
