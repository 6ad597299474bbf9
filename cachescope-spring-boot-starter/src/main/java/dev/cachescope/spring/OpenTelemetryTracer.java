package dev.cachescope.spring;

import dev.cachescope.Operation;
import dev.cachescope.Result;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds a span event ({@code cache.get}, {@code cache.set}…) with the cache's name, the result and
 * the duration to the current span, for operations inside a span that the tracer records, one in
 * {@code sampleRate} of them. Spans that are not recorded cost one check; keys are never added.
 */
final class OpenTelemetryTracer implements OperationTracer {
  static final AttributeKey<String> CACHE_NAME = AttributeKey.stringKey("cache.name");
  static final AttributeKey<String> CACHE_OPERATION = AttributeKey.stringKey("cache.operation");
  static final AttributeKey<String> CACHE_RESULT = AttributeKey.stringKey("cache.result");
  static final AttributeKey<Double> DURATION_MS = AttributeKey.doubleKey("cache.duration_ms");

  private static final Logger LOG = LoggerFactory.getLogger(OpenTelemetryTracer.class);

  private final int sampleRate;
  private final AtomicBoolean warned = new AtomicBoolean();

  OpenTelemetryTracer(int sampleRate) {
    if (sampleRate < 1) {
      throw new IllegalArgumentException(
          "cachescope.tracing.sample-rate must be 1 or more, got " + sampleRate);
    }
    this.sampleRate = sampleRate;
  }

  @Override
  public @Nullable Object start() {
    try {
      Span span = Span.current();
      if (!span.isRecording()
          || (sampleRate > 1 && ThreadLocalRandom.current().nextInt(sampleRate) != 0)) {
        return null;
      }
      return new Started(span, System.nanoTime());
    } catch (RuntimeException | LinkageError e) {
      warnOnce(e);
      return null;
    }
  }

  @Override
  public void finish(Object token, String cache, Operation operation, Result result) {
    try {
      Started started = (Started) token;
      double ms = (System.nanoTime() - started.startNanos) / 1e6;
      started.span.addEvent(
          "cache." + operation,
          Attributes.of(
              CACHE_NAME,
              cache,
              CACHE_OPERATION,
              operation.toString(),
              CACHE_RESULT,
              result.toString(),
              DURATION_MS,
              ms));
    } catch (RuntimeException | LinkageError e) {
      warnOnce(e);
    }
  }

  private void warnOnce(Throwable e) {
    if (warned.compareAndSet(false, true)) {
      LOG.warn("cachescope: adding cache span events failed; the cache is unaffected", e);
    }
  }

  private record Started(Span span, long startNanos) {}
}
