package dev.cachescope.export.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.cachescope.CacheMonitor;
import dev.cachescope.CacheOperation;
import dev.cachescope.LatencySummary;
import dev.cachescope.Operation;
import dev.cachescope.Result;
import dev.cachescope.export.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP API's documents for other transports, such as a Spring Boot actuator endpoint: the same
 * snake_case JSON and the same query rules as {@code /api/metrics/cache/…}. Thread-safe.
 */
public final class ApiViews {
  /** Floats read back as decimals, so that another JSON writer prints them as this API does. */
  private static final ObjectReader DOCUMENT_READER =
      Json.MAPPER.readerFor(Object.class).with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private ApiViews() {}

  /**
   * {@code value} (a snapshot, a summary, a list of operations) as the API's JSON document in plain
   * Java values: maps with the snake_case names, lists, strings, booleans, null, whole numbers as
   * {@code Long} or {@code Integer} and other numbers as {@code BigDecimal}. Any JSON library
   * writes them as this API does: Jackson 2, Jackson 3 (Spring Boot 4's actuator), Gson.
   */
  public static Object document(Object value) {
    try {
      return DOCUMENT_READER.readValue(Json.MAPPER.writeValueAsBytes(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What {@code GET …/{name}/histogram?after} returns: the cache's name, the fixed bucket bounds
   * ({@link LatencySummary#BUCKET_UPPER_BOUNDS_SECONDS}) and its heatmap columns after {@code
   * afterEpochSeconds} ({@link CacheMonitor#histogramSeries}).
   */
  public static Map<String, Object> histogram(CacheMonitor monitor, double afterEpochSeconds) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("cache_name", monitor.name());
    body.put("bucket_upper_bounds_seconds", LatencySummary.BUCKET_UPPER_BOUNDS_SECONDS);
    body.put("points", monitor.histogramSeries(afterEpochSeconds));
    return body;
  }

  /**
   * The operations that {@code GET …/{name}/operations?limit&operation&result} returns: the newest
   * {@code limit} (100 or the history's size, whichever is smaller, when null) among the whole
   * history's operations that match the filters, oldest first.
   *
   * @param limit a whole number from 1 to the history's capacity, or null
   * @param operation an {@link Operation}'s name ({@code get}, {@code set}…), or null for all
   * @param result a {@link Result}'s name ({@code hit}, {@code miss}…), or null for all
   * @throws IllegalArgumentException naming the parameter, what it must be and what it was
   */
  public static List<CacheOperation> operations(
      CacheMonitor monitor,
      @Nullable String limit,
      @Nullable String operation,
      @Nullable String result) {
    int max = Math.max(1, monitor.historyCapacity());
    int count = Math.min(100, max);
    if (limit != null) {
      try {
        count = Integer.parseInt(limit.trim());
      } catch (NumberFormatException e) {
        count = -1;
      }
      if (count < 1 || count > max) {
        throw new IllegalArgumentException(
            "limit must be a whole number from 1 to " + max + ", got '" + limit + "'");
      }
    }
    if (operation != null && !names(Operation.values()).contains(operation)) {
      throw new IllegalArgumentException(
          "operation must be one of " + names(Operation.values()) + ", got '" + operation + "'");
    }
    if (result != null && !names(Result.values()).contains(result)) {
      throw new IllegalArgumentException(
          "result must be one of " + names(Result.values()) + ", got '" + result + "'");
    }
    if (operation == null && result == null) {
      return monitor.recentOperations(count);
    }
    List<CacheOperation> matching = new ArrayList<>();
    for (CacheOperation op : monitor.recentOperations(max)) {
      if ((operation == null || op.operation().toString().equals(operation))
          && (result == null || op.result().toString().equals(result))) {
        matching.add(op);
      }
    }
    return matching.subList(Math.max(0, matching.size() - count), matching.size());
  }

  private static List<String> names(Enum<?>[] values) {
    List<String> names = new ArrayList<>(values.length);
    for (Enum<?> value : values) {
      names.add(value.toString());
    }
    return names;
  }
}
