package dev.cachescope.export.files;

import dev.cachescope.CacheOperation;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.MetricsListener;
import dev.cachescope.Operation;
import dev.cachescope.export.BackendHealth;
import dev.cachescope.export.MonitoringBackend;
import dev.cachescope.export.config.BackendConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * Latency interval logs in HdrHistogram's own format: per cache, a file {@code
 * cache_latency_<name>.hlog} beside the snapshot files, to which every interval appends one
 * interval histogram per operation that happened in it, tagged {@code get}, {@code load} or {@code
 * set}, values in nanoseconds. HdrHistogram's tools read it: {@code HistogramLogProcessor -i
 * cache_latency_books.hlog -tag get} prints percentiles per interval, and {@code
 * HistogramLogReader} gives the histograms back to code, to add up intervals or instances without
 * losing precision (two significant digits).
 *
 * <p>The durations are those the aggregator drains (a {@link MetricsListener}): every timed
 * operation, a sampled lookup recorded with its weight, so a histogram's count is the number of
 * operations it stands for, as in {@code /metrics}. Recording is HdrHistogram's {@link Recorder}
 * (lock-free for the draining threads); the file is appended to on this backend's own thread.
 *
 * <ul>
 *   <li>A file past {@code maxFileBytes} is renamed to {@code .hlog.1} (replacing the previous one)
 *       and a new one begins with its own header, so a cache takes at most twice that on disk.
 *   <li>A directory that cannot be written marks the backend failing in {@link #health()} and the
 *       log; that interval's histograms are lost, the next one is tried again. Nothing reaches the
 *       application.
 * </ul>
 */
public final class HistogramLogFiles implements MetricsListener, MonitoringBackend {
  /** The file size at which a log is rotated, by default. */
  public static final long DEFAULT_MAX_FILE_BYTES = 1 << 20;

  private static final String PREFIX = "cache_latency_";
  private static final String SUFFIX = ".hlog";
  private static final List<Operation> LOGGED =
      List.of(Operation.GET, Operation.LOAD, Operation.SET);

  private final Path directory;
  private final long maxFileBytes;
  private final Map<String, Map<Operation, Recorder>> recorders = new ConcurrentHashMap<>();
  private final MetricsAggregator aggregator;
  private final ScheduledWrites schedule;

  // Interval histograms handed back to their recorders to be reused; only the writing thread.
  private final Map<Recorder, Histogram> spare = new ConcurrentHashMap<>();

  private HistogramLogFiles(
      MetricsAggregator aggregator,
      Path directory,
      @Nullable Duration interval,
      long maxFileBytes) {
    this.aggregator = aggregator;
    this.directory = directory;
    this.maxFileBytes = maxFileBytes;
    aggregator.addListener(this);
    this.schedule =
        new ScheduledWrites(
            "hlog", "cachescope-hlog", "latency logs", directory, interval, this::write);
  }

  /** With a {@code json} entry of the configuration: its directory, every snapshot interval. */
  public static HistogramLogFiles start(MetricsAggregator aggregator, BackendConfig.Json config) {
    return new HistogramLogFiles(
        aggregator,
        Path.of(config.dataDir()),
        Duration.ofSeconds(config.snapshotIntervalSeconds()),
        DEFAULT_MAX_FILE_BYTES);
  }

  /**
   * Logs that are written only when asked ({@link #write()}), rotated past {@code maxFileBytes}.
   */
  public static HistogramLogFiles manual(
      MetricsAggregator aggregator, Path directory, long maxFileBytes) {
    return new HistogramLogFiles(aggregator, directory, null, maxFileBytes);
  }

  /** The log file of {@code cacheName} in {@code directory}. */
  public static Path file(Path directory, String cacheName) {
    return directory.resolve(PREFIX + SnapshotFiles.safeName(cacheName) + SUFFIX);
  }

  @Override
  public void onOperations(String cacheName, List<CacheOperation> operations) {
    Map<Operation, Recorder> byOperation = null;
    for (CacheOperation operation : operations) {
      Double durationMs = operation.durationMs();
      if (durationMs == null || !LOGGED.contains(operation.operation())) {
        continue;
      }
      if (byOperation == null) {
        byOperation = recorders.computeIfAbsent(cacheName, name -> newRecorders());
      }
      long nanos = Math.max(1, Math.round(durationMs * 1e6));
      Recorder recorder = byOperation.get(operation.operation());
      if (recorder != null) {
        recorder.recordValueWithCount(nanos, Math.max(1, operation.weight()));
      }
    }
  }

  private static Map<Operation, Recorder> newRecorders() {
    Map<Operation, Recorder> byOperation = new EnumMap<>(Operation.class);
    for (Operation operation : LOGGED) {
      byOperation.put(operation, new Recorder(2));
    }
    return byOperation;
  }

  /**
   * Drains the aggregator, then appends the interval since the last call to each cache's log.
   *
   * @throws IOException if the directory or a log cannot be written
   */
  public synchronized void write() throws IOException {
    aggregator.flush();
    Files.createDirectories(directory);
    for (Map.Entry<String, Map<Operation, Recorder>> cache : recorders.entrySet()) {
      StringBuilder lines = new StringBuilder();
      for (Map.Entry<Operation, Recorder> e : cache.getValue().entrySet()) {
        Recorder recorder = e.getValue();
        Histogram interval = recorder.getIntervalHistogram(spare.remove(recorder));
        spare.put(recorder, interval);
        if (interval.getTotalCount() > 0) {
          interval.setTag(e.getKey().toString());
          lines.append(intervalLine(interval));
        }
      }
      if (lines.length() > 0) {
        append(file(directory, cache.getKey()), lines.toString());
      }
      if (aggregator.monitor(cache.getKey()).isEmpty()) {
        recorders.remove(cache.getKey()); // unregistered: its last interval is written
      }
    }
  }

  private static String intervalLine(Histogram interval) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8)) {
      HistogramLogWriter writer = new HistogramLogWriter(out);
      writer.outputIntervalHistogram(interval);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void append(Path log, String intervals) throws IOException {
    if (Files.exists(log) && Files.size(log) >= maxFileBytes) {
      Path previous = log.resolveSibling(log.getFileName() + ".1");
      Files.move(log, previous, StandardCopyOption.REPLACE_EXISTING);
    }
    boolean fresh = !Files.exists(log) || Files.size(log) == 0;
    try (OutputStream out =
        Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      if (fresh) {
        out.write(header().getBytes(StandardCharsets.UTF_8));
      }
      out.write(intervals.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A log's first lines: format version, start time, legend; timestamps are absolute. */
  private static String header() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8)) {
      HistogramLogWriter writer = new HistogramLogWriter(out);
      writer.outputComment("cachescope latency intervals, values in nanoseconds");
      writer.outputLogFormatVersion();
      writer.outputStartTime(System.currentTimeMillis());
      writer.outputLegend();
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public BackendHealth health() {
    return schedule.health();
  }

  /** Stops the schedule and writes a last interval. */
  @Override
  public void close() {
    schedule.close();
    aggregator.removeListener(this);
  }
}
