package dev.cachescope.benchmarks;

import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.MetricsSummary;
import dev.cachescope.Source;
import dev.cachescope.export.metrics.PrometheusExposition;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the seed design's summary (what {@code /api/metrics/cache/summary} serves) and of the
 * Prometheus text ({@code /metrics}) over many caches, each with a full history, all four operation
 * types timed and an hour of windows.
 *
 * <p>{@code java -jar cachescope-benchmarks/target/benchmarks.jar SummaryBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class SummaryBenchmark {
  @Param({"100"})
  int caches;

  /** Whether every cache records a new timed lookup before each summary, as under traffic. */
  @Param({"false", "true"})
  boolean fresh;

  MetricsAggregator aggregator;
  java.util.List<CacheMonitor> monitors = new java.util.ArrayList<>();
  java.util.List<dev.cachescope.CacheSnapshot> taken = java.util.List.of();

  @Setup(Level.Trial)
  public void setUp() {
    aggregator = MetricsAggregator.builder().publishInterval(Duration.ZERO).build();
    for (int c = 0; c < caches; c++) {
      CacheMonitor monitor =
          aggregator.register(CacheMonitor.builder("cache-" + c).hitSampleRate(1).build());
      monitors.add(monitor);
      for (int i = 0; i < 12_000; i++) {
        monitor.recordHit(monitor.startLookup(), Source.MEMORY, i);
        if (i % 10 == 0) {
          monitor.recordMiss(monitor.startLookup(), null, i);
          monitor.recordLoad(monitor.startTimed(), true, i);
          monitor.recordPut(monitor.startTimed(), i, 64);
          monitor.recordRemoval(monitor.startTimed(), i);
        }
        if (i % 200 == 0) {
          aggregator.flush();
        }
      }
    }
    aggregator.flush();
    taken = aggregator.snapshots();
    ByteCounter size = new ByteCounter();
    try {
      PrometheusExposition.write(size, aggregator.snapshots());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.printf(
        "%n/metrics of %d caches: %,d bytes, %,d per cache%n",
        caches, size.bytes, size.bytes / caches);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    aggregator.close();
  }

  @Benchmark
  public MetricsSummary summary() {
    touch();
    return aggregator.summary();
  }

  /** What a Prometheus scrape of {@code /metrics} costs: the snapshots, then the text. */
  @Benchmark
  public long metricsText() throws IOException {
    touch();
    ByteCounter out = new ByteCounter();
    PrometheusExposition.write(out, aggregator.snapshots());
    return out.bytes;
  }

  /** The first half of a scrape: one snapshot per cache. */
  @Benchmark
  public int snapshots() {
    touch();
    return aggregator.snapshots().size();
  }

  /** The second half of a scrape: the text of snapshots already taken. */
  @Benchmark
  public long textOfTakenSnapshots() throws IOException {
    ByteCounter out = new ByteCounter();
    PrometheusExposition.write(out, taken);
    return out.bytes;
  }

  private void touch() {
    if (fresh) {
      for (CacheMonitor monitor : monitors) {
        monitor.recordMiss(monitor.startLookup(), null, "k");
      }
    }
  }

  /** Counts what is written to it and keeps nothing. */
  static final class ByteCounter extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
    }
  }
}
