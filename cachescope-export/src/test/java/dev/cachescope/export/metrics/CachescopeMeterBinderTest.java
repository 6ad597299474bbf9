package dev.cachescope.export.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachescope.CacheMonitor;
import dev.cachescope.EvictionCause;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.Operation;
import dev.cachescope.Source;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachescopeMeterBinderTest {

  @Test
  void publishesMicrometersCacheMetersForPresentAndLaterCaches() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (MetricsAggregator aggregator =
        MetricsAggregator.builder().publishInterval(Duration.ZERO).build()) {
      CacheMonitor early =
          aggregator.register(CacheMonitor.builder("early").hitSampleRate(1).build());
      new CachescopeMeterBinder(aggregator).bindTo(registry);
      early.recordHit(early.startLookup(), Source.MEMORY, "k");
      early.recordHit(early.startLookup(), Source.MEMORY, "k");
      early.recordMiss(early.startLookup(), null, "x");
      CacheMonitor late = aggregator.register(CacheMonitor.create("late"));
      late.recordPut(late.startTimed(), "k", 1);

      assertThat(
              registry
                  .get("cache.gets")
                  .tag("cache", "early")
                  .tag("result", "hit")
                  .functionCounter()
                  .count())
          .isEqualTo(2);
      assertThat(
              registry
                  .get("cache.gets")
                  .tag("cache", "early")
                  .tag("result", "miss")
                  .functionCounter()
                  .count())
          .isEqualTo(1);
      assertThat(registry.get("cache.puts").tag("cache", "late").functionCounter().count())
          .isEqualTo(1);
      assertThat(registry.get("cache.hit.ratio").tag("cache", "early").gauge().value())
          .isEqualTo(2.0 / 3);
      aggregator.flush();
      assertThat(
              registry
                  .get("cache.operation.duration")
                  .tags("cache", "early", "operation", "get")
                  .timer()
                  .count())
          .isEqualTo(3);

      aggregator.unregister("late");
      assertThat(registry.find("cache.puts").tag("cache", "late").functionCounter()).isNull();
    }
  }

  @Test
  void durationsFeedTheRegistrysOwnTimerWithItsDistributionConfiguration() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // What Spring Boot's management.metrics.distribution.percentiles and .slo properties become.
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                return DistributionStatisticConfig.builder()
                    .percentiles(0.5)
                    .serviceLevelObjectives(Duration.ofMillis(10).toNanos())
                    .build()
                    .merge(config);
              }
            });
    AtomicLong now = new AtomicLong(1_000_000_000L);
    try (MetricsAggregator aggregator =
        MetricsAggregator.builder().publishInterval(Duration.ZERO).build()) {
      new CachescopeMeterBinder(aggregator).bindTo(registry);
      CacheMonitor monitor =
          aggregator.register(
              CacheMonitor.builder("timed").hitSampleRate(1).ticker(now::get).build());
      for (int i = 0; i < 10; i++) {
        long start = monitor.startLookup();
        now.addAndGet(2_000);
        monitor.recordHit(start, Source.MEMORY, "k");
      }
      for (int i = 0; i < 3; i++) {
        long start = monitor.startTimed();
        now.addAndGet(30_000_000);
        monitor.recordLoad(start, true, "k");
      }
      aggregator.flush();

      Timer gets = registry.get("cache.operation.duration").tag("operation", "get").timer();
      assertThat(gets.count()).isEqualTo(10);
      assertThat(gets.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(20_000);
      assertThat(gets.max(TimeUnit.NANOSECONDS)).isEqualTo(2_000);
      HistogramSnapshot histogram = gets.takeSnapshot();
      assertThat(histogram.histogramCounts())
          .as("a percentile histogram from 100 ns, and the configured SLO")
          .hasSizeGreaterThan(20)
          .allSatisfy(
              bucket ->
                  assertThat(bucket.count())
                      .as("lookups at or below %s ns", bucket.bucket())
                      .isEqualTo(bucket.bucket() >= 2_000 ? 10 : 0));
      assertThat(histogram.histogramCounts())
          .anySatisfy(bucket -> assertThat(bucket.bucket()).isEqualTo(10_000_000));
      assertThat(histogram.percentileValues()).hasSize(1);
      assertThat(histogram.percentileValues()[0].value(TimeUnit.NANOSECONDS))
          .isBetween(1_900.0, 2_200.0);

      assertThat(registry.scrape())
          .contains("# TYPE cache_operation_duration_seconds histogram")
          .contains(
              "cache_operation_duration_seconds_bucket{cache=\"timed\",operation=\"get\","
                  + "le=\"2.047E-6\"} 10")
          .contains("cache_operation_duration_seconds_count{cache=\"timed\",operation=\"load\"} 3");

      Timer loads = registry.get("cache.operation.duration").tag("operation", "load").timer();
      assertThat(loads.count()).isEqualTo(3);
      assertThat(loads.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(90);

      aggregator.unregister("timed");
      assertThat(registry.find("cache.operation.duration").timers()).isEmpty();
    }
  }

  @Test
  void theBinderAndTheExpositionPublishEveryMeterOfTheCatalogWithTheSameValues() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (MetricsAggregator aggregator =
        MetricsAggregator.builder().publishInterval(Duration.ZERO).build()) {
      CacheMonitor monitor = aggregator.register(CacheMonitor.create("c"));
      new CachescopeMeterBinder(aggregator).bindTo(registry);
      monitor.recordHit(monitor.startLookup(), Source.MEMORY, "k");
      monitor.recordMiss(monitor.startLookup(), null, "x");
      monitor.recordLoad(monitor.startTimed(), false, "x");
      monitor.recordPut(monitor.startTimed(), "k", -1);
      monitor.recordError(Operation.SET, monitor.startTimed(), "k");
      monitor.recordEviction(EvictionCause.SIZE, "k");
      monitor.recordRemoval(monitor.startTimed(), "k");

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrometheusExposition.write(out, aggregator.snapshots());
      String text = out.toString(StandardCharsets.UTF_8);

      for (MetricCatalog.Metric metric : MetricCatalog.METRICS) {
        Search search = registry.find(metric.name()).tag("cache", "c");
        String labels = "cache=\"c\"";
        String tagKey = metric.tagKey();
        String tagValue = metric.tagValue();
        if (tagKey != null && tagValue != null) {
          search = search.tag(tagKey, tagValue);
          labels += "," + tagKey + "=\"" + tagValue + "\"";
        }
        Meter meter =
            Objects.requireNonNull(search.meter(), "the binder does not publish " + metric.name());
        double bound = meter.measure().iterator().next().getValue();
        String sample =
            metric.prometheusName()
                + (metric.kind() == MetricCatalog.Kind.COUNTER ? "_total" : "")
                + "{"
                + labels
                + "} ";
        assertThat(text).as("/metrics publishes %s", sample).contains(sample);
        String line = text.lines().filter(l -> l.startsWith(sample)).findFirst().orElseThrow();
        assertThat(Double.parseDouble(line.substring(sample.length()).trim()))
            .as("%s has the binder's value", sample)
            .isEqualTo(bound);
      }
    }
  }
}
