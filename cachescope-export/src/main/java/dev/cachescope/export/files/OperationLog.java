package dev.cachescope.export.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cachescope.CacheOperation;
import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.MetricsListener;
import dev.cachescope.export.BackendHealth;
import dev.cachescope.export.MonitoringBackend;
import dev.cachescope.export.config.BackendConfig;
import dev.cachescope.export.internal.Daemon;
import dev.cachescope.export.internal.HealthTracker;
import dev.cachescope.export.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The seed design's logger backend (see docs/exporters.md): one JSON object per operation, drained
 * from the histories off the hot path, and one per cache snapshot every interval, each a message of
 * the SLF4J logger {@value #LOGGER_NAME} in the seed design's format:
 *
 * <pre>{@code
 * {"cache_name":"RuleCache","operation":"get","timestamp":1696689121.567,"duration_ms":0.12,"result":"hit",...}
 * }</pre>
 *
 * Keys appear only when the monitor tracks keys ({@code track_keys: true}); otherwise only their
 * salted hash. Where the lines land (the seed design's {@code logs/cache_metrics.log}, rotating at
 * 10 MB × 5) is the application's logging configuration; the runnable app ships one. Health is
 * {@code failing} while the configured log file cannot be written or its disk is full (the logging
 * framework drops lines it cannot write without telling its caller).
 */
public final class OperationLog implements MetricsListener, MonitoringBackend {
  /** The SLF4J logger the lines go to. */
  public static final String LOGGER_NAME = "cachescope.metrics";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

  /** Less free room than this on the log's disk is a full disk: a line is up to a few KiB. */
  private static final long MIN_FREE_BYTES = 8 * 1024;

  private final MetricsAggregator aggregator;
  private final Level level;
  private final Path logFile;
  private final HealthTracker health;
  private final ScheduledExecutorService scheduler = Daemon.scheduler("cachescope-log");

  /**
   * Starts logging {@code aggregator}'s operations, and its snapshots every {@code interval}.
   *
   * @param logFile the file the application's logging writes these lines to, checked for health
   */
  @SuppressWarnings("FutureReturnValueIgnored") // runs until close(); the task catches its failures
  public OperationLog(MetricsAggregator aggregator, String level, Path logFile, Duration interval) {
    this.aggregator = aggregator;
    this.level = Level.valueOf(level.toUpperCase(Locale.ROOT));
    this.logFile = logFile;
    this.health = new HealthTracker("logger", "writing to " + logFile);
    aggregator.addListener(this);
    long millis = interval.toMillis();
    scheduler.scheduleAtFixedRate(this::logSnapshots, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** From a {@code logger} entry of the configuration. */
  public static OperationLog start(MetricsAggregator aggregator, BackendConfig.Logger config) {
    return new OperationLog(
        aggregator,
        config.logLevel(),
        Path.of(config.logFile()),
        Duration.ofSeconds(config.snapshotIntervalSeconds()));
  }

  @Override
  public void onOperations(String cacheName, List<CacheOperation> operations) {
    if (!LOG.isEnabledForLevel(level)) {
      return;
    }
    for (CacheOperation operation : operations) {
      log(operation);
    }
  }

  /** Logs one snapshot line per cache now. */
  public void logSnapshots() {
    try {
      if (LOG.isEnabledForLevel(level)) {
        for (CacheSnapshot snapshot : aggregator.snapshots()) {
          log(snapshot);
        }
      }
    } catch (RuntimeException e) {
      health.failed("logging snapshots", e);
    }
  }

  private void log(Object record) {
    try {
      LOG.atLevel(level).log(Json.MAPPER.writeValueAsString(record));
    } catch (JsonProcessingException e) {
      health.failed("serialising a record", e);
    }
  }

  @Override
  public BackendHealth health() {
    if (!canWrite(logFile)) {
      health.failed("log file", new IOException(logFile + " cannot be written"));
    } else if (isFull(logFile)) {
      health.failed(
          "log file", new IOException("the disk holding " + logFile + " is full; lines are lost"));
    } else {
      health.ok("writing to " + logFile);
    }
    return health.health();
  }

  /** Whether the disk the file is (or would be) on has less room than one more log line needs. */
  static boolean isFull(Path file) {
    for (Path p = file.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        try {
          return Files.getFileStore(p).getUsableSpace() < MIN_FREE_BYTES;
        } catch (IOException e) {
          return false;
        }
      }
    }
    return false;
  }

  /**
   * Whether the file can be written, or created: its nearest existing ancestor is a writable dir.
   */
  static boolean canWrite(Path file) {
    Path path = file.toAbsolutePath();
    if (Files.exists(path)) {
      return Files.isRegularFile(path) && Files.isWritable(path);
    }
    for (Path p = path.getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        return Files.isDirectory(p) && Files.isWritable(p);
      }
    }
    return false;
  }

  @Override
  public void close() {
    aggregator.removeListener(this);
    scheduler.shutdownNow();
    logSnapshots();
  }
}
