package dev.cachescope.spring;

import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.http.ApiViews;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.lang.Nullable;

/**
 * {@code /actuator/cachescope}: the HTTP API's documents on the application's own server, in the
 * same snake_case JSON.
 *
 * <ul>
 *   <li>{@code GET /actuator/cachescope}: the summary of every cache ({@code
 *       /api/metrics/cache/summary});
 *   <li>{@code GET /actuator/cachescope/{cache}/snapshot}: one cache's snapshot;
 *   <li>{@code GET /actuator/cachescope/{cache}/operations?limit&operation&result}: its recent
 *       operations, filtered over the whole history;
 *   <li>{@code GET /actuator/cachescope/{cache}/histogram}: its latency heatmap over the last hour
 *       ({@code …/{name}/histogram}).
 * </ul>
 *
 * An unknown cache or view is a 404 and a bad parameter a 400, each with a JSON body {@code
 * {"error": "...", "status": N}} that says what to send instead. Expose it as any endpoint: {@code
 * management.endpoints.web.exposure.include=cachescope}.
 *
 * <p>The documents are plain maps and lists ({@link ApiViews#document}), so the actuator's own JSON
 * writer prints them alike on Spring Boot 3 (Jackson 2) and Spring Boot 4 (Jackson 3), where a
 * Jackson 2 tree was written as a bean ({@code {"array":false,...}}).
 */
@WebEndpoint(id = "cachescope")
public class CachescopeEndpoint {
  private final MetricsAggregator aggregator;

  /** An endpoint over {@code aggregator}'s caches. */
  public CachescopeEndpoint(MetricsAggregator aggregator) {
    this.aggregator = aggregator;
  }

  /** Every cache's summary. */
  @ReadOperation
  public Object summary() {
    return ApiViews.document(aggregator.summary());
  }

  /** One cache's {@code snapshot} or {@code operations}. */
  @ReadOperation
  public WebEndpointResponse<Object> cache(
      @Selector String cache,
      @Selector String view,
      @Nullable String limit,
      @Nullable String operation,
      @Nullable String result) {
    Optional<CacheMonitor> monitor = aggregator.monitor(cache);
    if (monitor.isEmpty()) {
      return error(404, "no cache named '" + cache + "'; known caches: " + aggregator.cacheNames());
    }
    switch (view) {
      case "snapshot":
        return new WebEndpointResponse<>(ApiViews.document(monitor.get().snapshot()));
      case "operations":
        try {
          return new WebEndpointResponse<>(
              ApiViews.document(ApiViews.operations(monitor.get(), limit, operation, result)));
        } catch (IllegalArgumentException e) {
          return error(400, String.valueOf(e.getMessage()));
        }
      case "histogram":
        return new WebEndpointResponse<>(ApiViews.document(ApiViews.histogram(monitor.get(), 0)));
      default:
        return error(404, "no such view: " + view + "; use snapshot, operations or histogram");
    }
  }

  private static WebEndpointResponse<Object> error(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("status", status);
    return new WebEndpointResponse<>(ApiViews.document(body), status);
  }
}
