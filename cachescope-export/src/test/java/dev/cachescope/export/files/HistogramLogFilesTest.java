package dev.cachescope.export.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cachescope.CacheMonitor;
import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistogramLogFilesTest {
  @TempDir Path dir;

  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Test
  void eachIntervalIsAppendedAsHdrHistogramsThatItsOwnReaderReadsBack() throws IOException {
    try (MetricsAggregator aggregator =
            MetricsAggregator.builder().publishInterval(Duration.ZERO).build();
        HistogramLogFiles logs = HistogramLogFiles.manual(aggregator, dir, 1 << 20)) {
      CacheMonitor books = aggregator.register(monitor("books/v1"));
      time(books, 10, 2_000, true);
      time(books, 3, 30_000_000, false);
      logs.write();
      time(books, 5, 7_000, true);
      logs.write();
      logs.write(); // an empty interval adds nothing

      List<Histogram> intervals = read(HistogramLogFiles.file(dir, "books/v1"));
      assertThat(intervals)
          .extracting(Histogram::getTag, Histogram::getTotalCount)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("get", 10L),
              org.assertj.core.groups.Tuple.tuple("load", 3L),
              org.assertj.core.groups.Tuple.tuple("get", 5L));
      assertThat(intervals.get(0).getValueAtPercentile(50)).isCloseTo(2_000, within(20L));
      assertThat(intervals.get(1).getMean()).isCloseTo(30_000_000, within(300_000.0));
      assertThat(intervals.get(2).getMaxValue()).isCloseTo(7_000, within(70L));
      assertThat(intervals.get(2).getStartTimeStamp())
          .isGreaterThanOrEqualTo(intervals.get(0).getEndTimeStamp());
      assertThat(HistogramLogFiles.file(dir, "books/v1").getFileName().toString())
          .as("a name made safe for the file system")
          .startsWith("cache_latency_books_v1-")
          .endsWith(".hlog");
    }
  }

  @Test
  void sampledLookupsCountWithTheirWeightAsInMetrics() throws IOException {
    try (MetricsAggregator aggregator =
            MetricsAggregator.builder().publishInterval(Duration.ZERO).build();
        HistogramLogFiles logs = HistogramLogFiles.manual(aggregator, dir, 1 << 20)) {
      CacheMonitor busy =
          aggregator.register(
              CacheMonitor.builder("busy").hitSampleRate(16).ticker(now::get).build());
      for (int i = 0; i < 40; i++) {
        time(busy, 500, 1_000, true);
        aggregator.flush(); // as the publisher drains
      }
      logs.write();

      Map<String, Long> counts = new HashMap<>();
      for (Histogram h : read(HistogramLogFiles.file(dir, "busy"))) {
        counts.merge(h.getTag(), h.getTotalCount(), Long::sum);
      }
      CacheSnapshot snapshot = aggregator.snapshot("busy").orElseThrow();
      assertThat(snapshot.hits()).isEqualTo(20_000);
      assertThat(counts.get("get"))
          .as("the lookups the log's histograms stand for")
          .isEqualTo(java.util.Objects.requireNonNull(snapshot.latencyMs().get("get")).count())
          .isCloseTo(snapshot.hits(), within(snapshot.hits() / 100));
    }
  }

  @Test
  void aFullLogIsRotatedAndTheNewOneStartsWithItsOwnHeader() throws IOException {
    try (MetricsAggregator aggregator =
            MetricsAggregator.builder().publishInterval(Duration.ZERO).build();
        HistogramLogFiles logs = HistogramLogFiles.manual(aggregator, dir, 1_000)) {
      CacheMonitor c = aggregator.register(monitor("c"));
      for (int i = 0; i < 12; i++) {
        time(c, 1 + i, 1_000L << i, true);
        logs.write();
      }
      Path current = HistogramLogFiles.file(dir, "c");
      Path previous = current.resolveSibling(current.getFileName() + ".1");
      assertThat(previous).exists();
      List<Histogram> older = read(previous);
      List<Histogram> newer = read(current);
      assertThat(older).isNotEmpty();
      assertThat(newer).isNotEmpty();
      assertThat(Files.readString(current)).startsWith("#cachescope latency intervals");
      assertThat(Files.size(previous)).isLessThan(2_000);
      assertThat(newer.get(newer.size() - 1).getTotalCount()).isEqualTo(12);
    }
  }

  @Test
  void anUnwritableDirectoryIsAVisibleFaultAndTheNextIntervalRecovers() throws IOException {
    Path blocked = dir.resolve("blocked");
    Files.writeString(blocked, "a file where the directory should be");
    try (MetricsAggregator aggregator =
        MetricsAggregator.builder().publishInterval(Duration.ZERO).build()) {
      HistogramLogFiles logs =
          HistogramLogFiles.start(
              aggregator,
              new dev.cachescope.export.config.BackendConfig.Json(
                  true, blocked.toString(), 1, 10, 3600, 1 << 20));
      try {
        CacheMonitor c = aggregator.register(monitor("c"));
        time(c, 3, 1_000, true);
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> !logs.health().ok());
        assertThat(logs.health().backend()).isEqualTo("hlog");
        assertThat(logs.health().detail()).contains(blocked.toString());

        Files.delete(blocked);
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> logs.health().ok());
        time(c, 2, 1_000, true);
      } finally {
        logs.close(); // a last interval
      }
      long logged = 0;
      for (Histogram h : read(HistogramLogFiles.file(blocked, "c"))) {
        logged += h.getTotalCount();
      }
      assertThat(logged).as("the interval written while failing is lost, no more").isIn(2L, 5L);
    }
  }

  private CacheMonitor monitor(String name) {
    return CacheMonitor.builder(name).hitSampleRate(1).ticker(now::get).build();
  }

  /** {@code n} lookups (hits) or loads of {@code nanos} each, on the fake clock. */
  private void time(CacheMonitor monitor, int n, long nanos, boolean lookups) {
    for (int i = 0; i < n; i++) {
      long start = lookups ? monitor.startLookup() : monitor.startTimed();
      now.addAndGet(nanos);
      if (lookups) {
        monitor.recordHit(start, Source.MEMORY, "k");
      } else {
        monitor.recordLoad(start, true, "k");
      }
    }
  }

  private static List<Histogram> read(Path log) throws IOException {
    List<Histogram> histograms = new ArrayList<>();
    HistogramLogReader reader = new HistogramLogReader(log.toFile());
    EncodableHistogram h;
    while ((h = reader.nextIntervalHistogram()) != null) {
      histograms.add((Histogram) h);
    }
    return histograms;
  }
}
