package dev.cachescope.export.files;

import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.BackendHealth;
import dev.cachescope.export.MonitoringBackend;
import dev.cachescope.export.config.BackendConfig;
import dev.cachescope.export.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed design's JSON file backend (see docs/exporters.md): every interval, one file per cache
 * named {@code cache_snapshot_<name>_<epoch>.json} in a directory, and a last round when closed.
 *
 * <ul>
 *   <li>Writes are atomic: a temporary file in the same directory, then a rename, so a reader never
 *       sees half a snapshot.
 *   <li>Cache names are made safe for file names: characters other than letters, digits, {@code .}
 *       {@code _} {@code -} become {@code _} (with a short hash of the real name, so two names
 *       cannot collide), so no name reaches outside the directory. The real name is inside the
 *       file.
 *   <li>Retention, after each round: per cache the newest {@code maxFiles}; none older than {@code
 *       maxAge}; all files together under {@code maxBytes}, oldest deleted first.
 *   <li>A directory that cannot be written (missing parent, a file in its place, a full disk) marks
 *       the backend failing in {@link #health()} and the log; the next round tries again.
 * </ul>
 *
 * {@link #snapshotsSince} reads files back, skipping corrupt ones with a warning.
 */
public final class SnapshotFiles implements MonitoringBackend {
  private static final Logger LOG = LoggerFactory.getLogger("dev.cachescope.export");
  private static final String PREFIX = "cache_snapshot_";
  private static final String SUFFIX = ".json";

  private final MetricsAggregator aggregator;
  private final Path directory;
  private final int maxFiles;
  private final Duration maxAge;
  private final long maxBytes;
  private final ScheduledWrites schedule;

  private SnapshotFiles(
      MetricsAggregator aggregator,
      Path directory,
      @Nullable Duration interval,
      int maxFiles,
      Duration maxAge,
      long maxBytes) {
    this.aggregator = aggregator;
    this.directory = directory;
    this.maxFiles = maxFiles;
    this.maxAge = maxAge;
    this.maxBytes = maxBytes;
    this.schedule =
        new ScheduledWrites(
            "json", "cachescope-snapshots", "snapshots", directory, interval, this::write);
  }

  /** From a {@code json} entry of the configuration: writes every interval. */
  public static SnapshotFiles start(MetricsAggregator aggregator, BackendConfig.Json config) {
    return new SnapshotFiles(
        aggregator,
        Path.of(config.dataDir()),
        Duration.ofSeconds(config.snapshotIntervalSeconds()),
        config.retentionMaxFiles(),
        Duration.ofSeconds(config.retentionMaxAgeSeconds()),
        config.retentionMaxBytes());
  }

  /** A store over {@code directory} that writes only when asked ({@link #write()}). */
  public static SnapshotFiles manual(
      MetricsAggregator aggregator, Path directory, int maxFiles, Duration maxAge, long maxBytes) {
    return new SnapshotFiles(aggregator, directory, null, maxFiles, maxAge, maxBytes);
  }

  /** A reader over {@code directory}, for tools that only read snapshots back. */
  public static SnapshotFiles reader(Path directory) {
    return new SnapshotFiles(
        MetricsAggregator.builder().publishInterval(Duration.ZERO).build(),
        directory,
        null,
        Integer.MAX_VALUE,
        Duration.ofDays(36_500),
        Long.MAX_VALUE);
  }

  /**
   * Writes one file per cache now, then applies retention.
   *
   * @throws IOException if the directory or a file cannot be written
   */
  public void write() throws IOException {
    Files.createDirectories(directory);
    for (CacheSnapshot snapshot : aggregator.snapshots()) {
      long epoch = (long) snapshot.timestamp();
      Path target = directory.resolve(fileName(snapshot.cacheName(), epoch));
      Path temp = Files.createTempFile(directory, ".tmp-", SUFFIX);
      try {
        Files.write(temp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(snapshot));
        move(temp, target);
      } finally {
        Files.deleteIfExists(temp);
      }
    }
    applyRetention();
  }

  private static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The file name of a snapshot of {@code cacheName} taken at {@code epochSeconds}. */
  public static String fileName(String cacheName, long epochSeconds) {
    return PREFIX + safeName(cacheName) + "_" + epochSeconds + SUFFIX;
  }

  /** {@code cacheName} made safe for a file name; unchanged if it already is. */
  static String safeName(String cacheName) {
    StringBuilder safe = new StringBuilder(cacheName.length());
    for (int i = 0; i < cacheName.length(); i++) {
      char c = cacheName.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      safe.append(allowed ? c : '_');
    }
    String result = safe.length() > 100 ? safe.substring(0, 100) : safe.toString();
    if (result.startsWith(".")) {
      result = "_" + result;
    }
    if (!result.equals(cacheName)) {
      result += "-" + Integer.toHexString(cacheName.hashCode());
    }
    return result;
  }

  /**
   * The snapshots of {@code cacheName} (null: of every cache) taken at or after {@code since},
   * oldest first. A file that cannot be read or parsed is skipped with a warning.
   *
   * @throws IOException if the directory cannot be listed
   */
  public List<CacheSnapshot> snapshotsSince(@Nullable String cacheName, Instant since)
      throws IOException {
    return snapshotsSince(cacheName, since, (done, total) -> {});
  }

  /**
   * As {@link #snapshotsSince(String, Instant)}, telling {@code progress} after each file read how
   * many of how many matching files are done.
   */
  public List<CacheSnapshot> snapshotsSince(
      @Nullable String cacheName, Instant since, BiConsumer<Integer, Integer> progress)
      throws IOException {
    String prefix = cacheName == null ? PREFIX : PREFIX + safeName(cacheName) + "_";
    List<CacheSnapshot> snapshots = new ArrayList<>();
    List<SnapshotFile> matching = new ArrayList<>();
    for (SnapshotFile file : list()) {
      if (file.path.getFileName().toString().startsWith(prefix)
          && file.epoch >= since.getEpochSecond()) {
        matching.add(file);
      }
    }
    int done = 0;
    for (SnapshotFile file : matching) {
      progress.accept(++done, matching.size());
      try {
        CacheSnapshot snapshot =
            Json.MAPPER.readValue(
                Files.readString(file.path, StandardCharsets.UTF_8), CacheSnapshot.class);
        if (cacheName == null || snapshot.cacheName().equals(cacheName)) {
          snapshots.add(snapshot);
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("cachescope: skipping unreadable snapshot file {}: {}", file.path, e.toString());
      }
    }
    snapshots.sort(Comparator.comparingDouble(CacheSnapshot::timestamp));
    return snapshots;
  }

  private void applyRetention() throws IOException {
    List<SnapshotFile> files = list();
    files.sort(Comparator.comparingLong((SnapshotFile f) -> f.epoch).reversed());
    long oldest = Instant.now().minus(maxAge).getEpochSecond();
    Map<String, Integer> perCache = new HashMap<>();
    long bytes = 0;
    List<SnapshotFile> kept = new ArrayList<>();
    for (SnapshotFile file : files) {
      int count = perCache.merge(file.cache, 1, Integer::sum);
      if (count > maxFiles || file.epoch < oldest) {
        Files.deleteIfExists(file.path);
      } else {
        kept.add(file);
        bytes += file.size;
      }
    }
    for (int i = kept.size() - 1; i >= 0 && bytes > maxBytes; i--) {
      Files.deleteIfExists(kept.get(i).path);
      bytes -= kept.get(i).size;
    }
  }

  private List<SnapshotFile> list() throws IOException {
    List<SnapshotFile> files = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return files;
    }
    try (DirectoryStream<Path> stream =
        Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
      for (Path path : stream) {
        String name = path.getFileName().toString();
        String stem = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
        int cut = stem.lastIndexOf('_');
        if (cut < 0) {
          continue;
        }
        try {
          long epoch = Long.parseLong(stem.substring(cut + 1));
          files.add(new SnapshotFile(path, stem.substring(0, cut), epoch, Files.size(path)));
        } catch (NumberFormatException | IOException e) {
          LOG.debug("cachescope: ignoring {}: {}", path, e.toString());
        }
      }
    }
    return files;
  }

  @Override
  public BackendHealth health() {
    return schedule.health();
  }

  /** Stops the schedule and writes a last round. */
  @Override
  public void close() {
    schedule.close();
  }

  private record SnapshotFile(Path path, String cache, long epoch, long size) {}
}
