package dev.cachescope.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachescope.MetricsAggregator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;

/**
 * Cache operations inside a recorded OpenTelemetry span become span events, checked with the SDK's
 * in-memory exporter; without a recorded span, or without OpenTelemetry, nothing is added.
 */
class OpenTelemetrySpanEventsTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(CachescopeAutoConfiguration.class))
          .withBean("cacheManager", CacheManager.class, () -> new ConcurrentMapCacheManager());

  @AfterEach
  void reset() {
    exporter.reset();
  }

  private Tracer tracer(Sampler sampler) {
    return SdkTracerProvider.builder()
        .setSampler(sampler)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build()
        .get("test");
  }

  @Test
  void operationsInARecordedSpanBecomeEventsWithNameResultAndDuration() {
    runner.run(
        context -> {
          Cache books =
              Objects.requireNonNull(context.getBean(CacheManager.class).getCache("books"));
          Span span = tracer(Sampler.alwaysOn()).spanBuilder("GET /books/1").startSpan();
          try (Scope ignored = span.makeCurrent()) {
            assertThat(books.get(1)).isNull();
            books.put(1, "Dune");
            assertThat(books.get(1)).isNotNull();
            assertThat(books.get(2, () -> "Emma")).isEqualTo("Emma");
          } finally {
            span.end();
          }
          List<EventData> events = exporter.getFinishedSpanItems().get(0).getEvents();
          assertThat(events)
              .extracting(EventData::getName)
              .containsExactly("cache.get", "cache.set", "cache.get", "cache.load");
          assertThat(events)
              .extracting(e -> e.getAttributes().get(OpenTelemetryTracer.CACHE_RESULT))
              .containsExactly("miss", "store", "hit", "success");
          for (EventData event : events) {
            assertThat(event.getAttributes().get(OpenTelemetryTracer.CACHE_NAME))
                .isEqualTo("books");
            assertThat(event.getAttributes().get(OpenTelemetryTracer.DURATION_MS))
                .isNotNull()
                .isGreaterThanOrEqualTo(0.0);
            assertThat(event.getAttributes().asMap().toString())
                .as("keys are never added")
                .doesNotContain("Dune")
                .doesNotContain("Emma");
          }
        });
  }

  @Test
  void spansTheSamplerDropsAndCodeOutsideSpansGetNothing() {
    runner.run(
        context -> {
          Cache books =
              Objects.requireNonNull(context.getBean(CacheManager.class).getCache("books"));
          books.put(1, "Dune");
          Span dropped = tracer(Sampler.alwaysOff()).spanBuilder("unsampled").startSpan();
          try (Scope ignored = dropped.makeCurrent()) {
            assertThat(books.get(1)).isNotNull();
          } finally {
            dropped.end();
          }
          assertThat(exporter.getFinishedSpanItems()).isEmpty();
          MetricsAggregator aggregator = context.getBean(MetricsAggregator.class);
          assertThat(aggregator.snapshot("books").orElseThrow().hits()).isEqualTo(1);
        });
  }

  @Test
  void aSampleRateKeepsAboutOneOperationInN() {
    Tracer tracer =
        SdkTracerProvider.builder()
            .setSpanLimits(SpanLimits.builder().setMaxNumberOfEvents(10_000).build())
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build()
            .get("test");
    runner
        .withPropertyValues("cachescope.tracing.sample-rate=4")
        .run(
            context -> {
              Cache books =
                  Objects.requireNonNull(context.getBean(CacheManager.class).getCache("books"));
              books.put(1, "Dune");
              Span span = tracer.spanBuilder("batch").startSpan();
              try (Scope ignored = span.makeCurrent()) {
                for (int i = 0; i < 4_000; i++) {
                  books.get(1);
                }
              } finally {
                span.end();
              }
              // Binomial(4000, 1/4): mean 1000, standard deviation 27; these bounds are 5.5 sigma.
              assertThat(exporter.getFinishedSpanItems().get(0).getEvents().size())
                  .isBetween(850, 1150);
            });
  }

  @Test
  void tracingCanBeSwitchedOffAndIsAbsentWithoutOpenTelemetry() {
    runner
        .withPropertyValues("cachescope.tracing.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(OperationTracer.class));
    runner
        .withClassLoader(new FilteredClassLoader("io.opentelemetry"))
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(OperationTracer.class);
              Cache books =
                  Objects.requireNonNull(context.getBean(CacheManager.class).getCache("books"));
              books.put(1, "Dune");
              assertThat(books.get(1)).isNotNull();
              assertThat(
                      context
                          .getBean(MetricsAggregator.class)
                          .snapshot("books")
                          .orElseThrow()
                          .hits())
                  .isEqualTo(1);
            });
  }

  @Test
  void aSampleRateBelowOneStopsStartUpWithTheKey() {
    runner
        .withPropertyValues("cachescope.tracing.sample-rate=0")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("cachescope.tracing.sample-rate must be 1 or more"));
  }
}
