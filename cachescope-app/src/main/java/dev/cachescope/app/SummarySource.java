package dev.cachescope.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsSummary;
import dev.cachescope.export.files.SnapshotFiles;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where the health and export commands read snapshots: a running API, or a snapshot directory. */
final class SummarySource {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private SummarySource() {}

  /** The latest snapshot of every cache the API at {@code url} reports; exit 2 if unreachable. */
  static List<CacheSnapshot> fromUrl(String url, String token) {
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    URI uri;
    try {
      uri = URI.create(base + "/api/metrics/cache/summary");
    } catch (IllegalArgumentException e) {
      throw new UserError("--url " + url + " is not a URL; write it like http://127.0.0.1:8080");
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    if (!token.isEmpty()) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new UserError(
            uri
                + " answered "
                + response.statusCode()
                + ": "
                + response.body().strip()
                + (response.statusCode() == 401 ? "; pass --token" : ""));
      }
      MetricsSummary summary = JSON.readValue(response.body(), MetricsSummary.class);
      return List.copyOf(summary.caches().values());
    } catch (ConnectException e) {
      throw new UserError(
          "cannot reach "
              + base
              + "; is the demo running? Start it with ./cachescope demo, or"
              + " read files with --dir data/metrics");
    } catch (IOException e) {
      throw new UserError("cannot read " + uri + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while reading " + uri);
    } catch (IllegalArgumentException e) {
      throw new UserError("--url " + url + " is not an http URL: " + e.getMessage());
    }
  }

  /** All snapshots in {@code dir} since {@code since}, oldest first; exit 2 if unreadable. */
  static List<CacheSnapshot> fromDirectory(Path dir, Instant since) {
    return fromDirectory(dir, since, (done, total) -> {});
  }

  /** As {@link #fromDirectory(Path, Instant)}, reporting progress per file. */
  static List<CacheSnapshot> fromDirectory(
      Path dir, Instant since, java.util.function.BiConsumer<Integer, Integer> progress) {
    if (!Files.isDirectory(dir)) {
      throw new UserError(
          dir
              + " is not a directory of snapshots; the demo writes them to data/metrics (pass"
              + " --dir)");
    }
    try {
      return SnapshotFiles.reader(dir).snapshotsSince(null, since, progress);
    } catch (IOException e) {
      throw new UserError("cannot read " + dir + ": " + e.getMessage());
    }
  }

  /** The newest snapshot of each cache, in name order. */
  static List<CacheSnapshot> latest(List<CacheSnapshot> snapshots) {
    Map<String, CacheSnapshot> newest = new LinkedHashMap<>();
    snapshots.stream()
        .sorted(java.util.Comparator.comparing(CacheSnapshot::cacheName))
        .forEach(
            s -> newest.merge(s.cacheName(), s, (a, b) -> a.timestamp() >= b.timestamp() ? a : b));
    return List.copyOf(newest.values());
  }
}
