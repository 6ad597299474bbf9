package dev.cachescope.export.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachescope.CacheMonitor;
import dev.cachescope.EvictionCause;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.Operation;
import dev.cachescope.Source;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
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
      assertThat(
              registry
                  .get("cache.operation.duration.percentile")
                  .tags("cache", "early", "operation", "get", "phi", "0.99")
                  .gauge()
                  .value())
          .isPositive();

      aggregator.unregister("late");
      assertThat(registry.find("cache.puts").tag("cache", "late").functionCounter()).isNull();
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
