package dev.cachescope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WindowTest {

  @Test
  void windowsReportRecentHitRateAndThroughput() {
    FakeTicker ticker = new FakeTicker();
    CacheMonitor monitor =
        CacheMonitor.builder("c").ticker(ticker).windowResolution(Duration.ofSeconds(1)).build();
    monitor.publish();

    // Ten minutes of all misses at 10 lookups/s, then one minute of all hits at 100 lookups/s.
    for (int second = 0; second < 600; second++) {
      for (int i = 0; i < 10; i++) {
        monitor.recordMiss(CacheMonitor.NOT_TIMED, null, null);
      }
      ticker.advance(Duration.ofSeconds(1));
      monitor.publish();
    }
    for (int second = 0; second < 60; second++) {
      for (int i = 0; i < 100; i++) {
        monitor.recordHit(CacheMonitor.NOT_TIMED, Source.MEMORY, null);
      }
      ticker.advance(Duration.ofSeconds(1));
      monitor.publish();
    }

    CacheSnapshot s = monitor.snapshot();
    WindowStats oneMinute = Objects.requireNonNull(s.windows().get("1m"));
    assertThat(oneMinute.seconds()).isEqualTo(60.0);
    assertThat(oneMinute.requests()).isEqualTo(6_000);
    assertThat(oneMinute.hitRate()).isEqualTo(1.0);
    assertThat(oneMinute.operationsPerSecond()).isCloseTo(100.0, within(1e-9));

    WindowStats fiveMinutes = Objects.requireNonNull(s.windows().get("5m"));
    assertThat(fiveMinutes.requests()).isEqualTo(6_000 + 240 * 10);
    assertThat(fiveMinutes.hitRate()).isCloseTo(6_000.0 / 8_400, within(1e-9));

    // The monitor is 11 minutes old: its hour window covers those 11 minutes and says so.
    WindowStats hour = Objects.requireNonNull(s.windows().get("1h"));
    assertThat(hour.seconds()).isEqualTo(660.0);
    assertThat(hour.requests()).isEqualTo(12_000);
    assertThat(s.hitRate()).isEqualTo(0.5);
  }

  @Test
  void anIdleWindowHasNoHitRateRatherThanZero() {
    FakeTicker ticker = new FakeTicker();
    CacheMonitor monitor =
        CacheMonitor.builder("c").ticker(ticker).windowResolution(Duration.ofSeconds(1)).build();
    monitor.recordHit(CacheMonitor.NOT_TIMED, null, null);
    monitor.publish();
    ticker.advance(Duration.ofMinutes(2));

    WindowStats oneMinute = Objects.requireNonNull(monitor.snapshot().windows().get("1m"));
    assertThat(oneMinute.requests()).isZero();
    assertThat(oneMinute.hitRate()).isNull();
    assertThat(oneMinute.operationsPerSecond()).isZero();
  }

  @Test
  void theSeriesHasOnePointPerSampleWithItsOwnHitRateRateAndP99() {
    FakeTicker ticker = new FakeTicker();
    CacheMonitor monitor = everyLookupTimedIn5sWindows(ticker);

    // Interval 1: 10 hits of 1 ms each. Interval 2: idle. Interval 3: 5 misses of 4 ms each.
    for (int i = 0; i < 10; i++) {
      long start = monitor.startLookup();
      ticker.advanceNanos(1_000_000);
      monitor.recordHit(start, Source.MEMORY, null);
    }
    ticker.advance(Duration.ofSeconds(5).minusMillis(10));
    monitor.publish();
    ticker.advance(Duration.ofSeconds(5));
    monitor.publish();
    for (int i = 0; i < 5; i++) {
      long start = monitor.startLookup();
      ticker.advanceNanos(4_000_000);
      monitor.recordMiss(start, null, null);
    }
    ticker.advance(Duration.ofSeconds(5).minusMillis(20));

    List<SeriesPoint> points = monitor.series(0);
    assertThat(points).hasSize(3);
    SeriesPoint busy = points.get(0);
    assertThat(busy.seconds()).isEqualTo(5.0);
    assertThat(busy.requests()).isEqualTo(10);
    assertThat(busy.hitRate()).isEqualTo(1.0);
    assertThat(busy.operationsPerSecond()).isCloseTo(2.0, within(1e-9));
    assertThat(busy.p99Ms()).isCloseTo(1.0, within(0.01));

    SeriesPoint idle = points.get(1);
    assertThat(idle.requests()).isZero();
    assertThat(idle.hitRate()).isNull();
    assertThat(idle.p99Ms()).isNull();

    SeriesPoint misses = points.get(2);
    assertThat(misses.hitRate()).isEqualTo(0.0);
    assertThat(misses.p99Ms()).isCloseTo(4.0, within(0.04));
    assertThat(misses.timestamp() - busy.timestamp()).isCloseTo(10.0, within(1e-6));

    // Asking after the last point's timestamp returns only what came later.
    assertThat(monitor.series(misses.timestamp())).isEmpty();
    assertThat(monitor.series(busy.timestamp())).containsExactly(idle, misses);
  }

  /**
   * Each heatmap column holds the lookups and loads of its own interval in the fixed buckets, as
   * the test places the durations it recorded itself, with the series' timestamps.
   */
  @Test
  void theHeatmapHasOneColumnPerSampleWithItsOwnDurations() {
    FakeTicker ticker = new FakeTicker();
    CacheMonitor monitor = everyLookupTimedIn5sWindows(ticker);
    long[] firstLookups = {300, 300, 1_500, 45_000, 45_000, 45_000, 30_000_000_000L};
    long[] firstLoads = {2_000_000, 7_000_000};
    long[] thirdLookups = {150, 150, 150};
    SplittableRandom random = new SplittableRandom(3);
    for (long nanos : firstLookups) {
      long start = monitor.startLookup();
      ticker.advanceNanos(nanos);
      if (random.nextBoolean()) {
        monitor.recordHit(start, Source.MEMORY, null);
      } else {
        monitor.recordMiss(start, null, null);
      }
    }
    for (long nanos : firstLoads) {
      long start = monitor.startTimed();
      ticker.advanceNanos(nanos);
      monitor.recordLoad(start, true, null);
    }
    ticker.advance(Duration.ofSeconds(5));
    monitor.publish();
    ticker.advance(Duration.ofSeconds(5));
    monitor.publish();
    for (long nanos : thirdLookups) {
      long start = monitor.startLookup();
      ticker.advanceNanos(nanos);
      monitor.recordHit(start, Source.MEMORY, null);
    }
    ticker.advance(Duration.ofSeconds(5));

    List<HistogramPoint> columns = monitor.histogramSeries(0);
    assertThat(columns).hasSize(3);
    assertThat(columns.get(0).get()).isEqualTo(bucketed(firstLookups));
    assertThat(columns.get(0).load()).isEqualTo(bucketed(firstLoads));
    assertThat(columns.get(1).get()).isNull();
    assertThat(columns.get(1).load()).isNull();
    assertThat(columns.get(2).get()).isEqualTo(bucketed(thirdLookups));
    assertThat(columns.get(2).load()).isNull();
    assertThat(columns)
        .extracting(HistogramPoint::timestamp)
        .containsExactlyElementsOf(monitor.series(0).stream().map(SeriesPoint::timestamp).toList());
    assertThat(monitor.histogramSeries(columns.get(1).timestamp())).containsExactly(columns.get(2));
  }

  /** Counts per fixed bucket: each duration in the first bucket whose bound is not below it. */
  private static List<Integer> bucketed(long... nanos) {
    List<Double> bounds = LatencySummary.BUCKET_UPPER_BOUNDS_SECONDS;
    Integer[] counts = new Integer[bounds.size() + 1];
    java.util.Arrays.fill(counts, 0);
    for (long n : nanos) {
      int b = 0;
      while (b < bounds.size() && n / 1e9 > bounds.get(b)) {
        b++;
      }
      counts[b]++;
    }
    return List.of(counts);
  }

  /** A monitor that times every lookup, with 5 s windows, its first window sample taken. */
  private static CacheMonitor everyLookupTimedIn5sWindows(FakeTicker ticker) {
    CacheMonitor monitor =
        CacheMonitor.builder("c")
            .ticker(ticker)
            .hitSampleRate(1)
            .windowResolution(Duration.ofSeconds(5))
            .build();
    monitor.publish();
    return monitor;
  }
}
