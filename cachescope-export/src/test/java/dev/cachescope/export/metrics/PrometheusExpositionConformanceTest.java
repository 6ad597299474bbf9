package dev.cachescope.export.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachescope.CacheMonitor;
import dev.cachescope.CacheSnapshot;
import dev.cachescope.EvictionCause;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.Source;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics}' own text writer against Prometheus's: over the same snapshots, the bytes must
 * be the same. Hostile cache names (quotes, backslashes, line breaks, non-ASCII, a surrogate pair),
 * empty caches, and random traffic with durations from 1 ns to a minute.
 */
class PrometheusExpositionConformanceTest {

  @Test
  void theTextIsByteForByteWhatPrometheussWriterWrites() throws Exception {
    SplittableRandom random = new SplittableRandom(20261206);
    AtomicLong now = new AtomicLong();
    try (MetricsAggregator aggregator =
        MetricsAggregator.builder().publishInterval(Duration.ZERO).build()) {
      List<String> names =
          List.of(
              "RuleCache",
              "quote\"and\\slash",
              "line\nbreak",
              "ünïcødé µs",
              "emoji 🚀 cache",
              "z-last",
              "A-first",
              "empty");
      for (String name : names) {
        CacheMonitor monitor =
            aggregator.register(
                CacheMonitor.builder(name).hitSampleRate(1).ticker(now::get).build());
        if (name.equals("empty")) {
          continue;
        }
        int operations = random.nextInt(1, 5_000);
        for (int i = 0; i < operations; i++) {
          long nanos = (long) Math.pow(10, random.nextDouble(0, 10.8));
          long start = monitor.startLookup();
          now.addAndGet(nanos);
          switch (random.nextInt(6)) {
            case 0 -> monitor.recordMiss(start, null, i);
            case 1 -> monitor.recordLoad(start, random.nextBoolean(), i);
            case 2 -> monitor.recordPut(start, i, random.nextInt(1, 1 << 20));
            case 3 ->
                monitor.recordEviction(
                    EvictionCause.values()[random.nextInt(EvictionCause.values().length)], i);
            default -> monitor.recordHit(start, Source.MEMORY, i);
          }
          if (i % 400 == 0) {
            aggregator.flush();
          }
        }
      }
      for (int c = 0; c < 40; c++) {
        CacheMonitor monitor = aggregator.register(CacheMonitor.create("cache-" + c));
        monitor.recordHit(monitor.startLookup(), Source.MEMORY, c);
      }
      aggregator.flush();
      List<CacheSnapshot> snapshots = aggregator.snapshots();

      ByteArrayOutputStream ours = new ByteArrayOutputStream();
      PrometheusExposition.write(ours, snapshots);
      ByteArrayOutputStream theirs = new ByteArrayOutputStream();
      PrometheusTextFormatWriter.create()
          .write(theirs, PrometheusExposition.metricSnapshots(snapshots));

      String expected = theirs.toString(StandardCharsets.UTF_8);
      assertThat(expected).contains("emoji 🚀 cache", "line\\nbreak", "quote\\\"and\\\\slash");
      assertThat(ours.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
      assertThat(ours.toByteArray()).isEqualTo(theirs.toByteArray());
    }
  }
}
