package dev.cachescope.app;

import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * {@code cachescope demo} running on its own thread, as a user starts it, with every backend on and
 * the API on a free port. {@link #close()} stops it the way Ctrl-C does.
 */
final class RunningDemo implements AutoCloseable {
  private static final Pattern API =
      Pattern.compile("API: +(http://127\\.0\\.0\\.1:\\d+)/api/metrics/cache/summary");

  private final StringWriter out = new StringWriter();
  private final AtomicInteger exit = new AtomicInteger(-1);
  private final Thread thread;
  private final String url;

  private RunningDemo(Path dir, Duration duration, int rate, int snapshotsKept) throws Exception {
    Path config = config(dir, 0, snapshotsKept);
    thread =
        new Thread(
            () -> {
              CommandLine cli = Main.commandLine();
              cli.setOut(new PrintWriter(out, true));
              exit.set(
                  cli.execute(
                      "demo",
                      "--duration",
                      duration.toSeconds() + "s",
                      "--rate",
                      String.valueOf(rate),
                      "--summary-every",
                      "2s",
                      "--config",
                      config.toString(),
                      "--data-dir",
                      dir.resolve("data").toString()));
            },
            "demo");
    thread.start();
    url =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  Matcher m = API.matcher(out.toString());
                  return m.find() ? m.group(1) : null;
                },
                found -> found != null);
  }

  /** Starts the demo for {@code duration} at {@code rate} requests/s; returns once it serves. */
  static RunningDemo start(Path dir, Duration duration, int rate) throws Exception {
    return new RunningDemo(dir, duration, rate, 2_000);
  }

  /**
   * As {@link #start(Path, Duration, int)}, keeping {@code snapshotsKept} snapshot files a cache.
   */
  static RunningDemo start(Path dir, Duration duration, int rate, int snapshotsKept)
      throws Exception {
    return new RunningDemo(dir, duration, rate, snapshotsKept);
  }

  /**
   * Writes a monitoring.yaml under {@code dir}: log file, JSON snapshots every 2 s, API on {@code
   * port}, and an alert rule that fires at once (CacheManager's hit rate is about 60%).
   */
  static Path config(Path dir, int port) throws Exception {
    return config(dir, port, 2_000);
  }

  private static Path config(Path dir, int port, int snapshotsKept) throws Exception {
    Path file = dir.resolve("monitoring.yaml");
    Files.writeString(
        file,
        """
        cache_monitoring:
          backends:
            - type: logger
              log_file: %s
            - type: json
              data_dir: %s
              snapshot_interval_seconds: 2
              retention_max_files: %d
            - type: api
              port: %d
          alerts:
            evaluate_every_seconds: 1
            rules:
              - {name: below-target, cache: CacheManager, metric: hit_rate, below: 0.9}
        """
            .formatted(
                dir.resolve("logs/cache_metrics.log"),
                dir.resolve("metrics"),
                snapshotsKept,
                port));
    return file;
  }

  /** The API's base URL, such as {@code http://127.0.0.1:41234}. */
  String url() {
    return url;
  }

  /** What the demo printed so far. */
  String output() {
    return out.toString();
  }

  /** Waits for the demo to end by itself; returns its exit code, -1 if it has not ended. */
  int awaitExit(Duration timeout) throws InterruptedException {
    thread.join(timeout.toMillis());
    return exit.get();
  }

  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
