package dev.cachescope.export.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cachescope.CacheMonitor;
import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.Source;
import dev.cachescope.export.config.BackendConfig;
import dev.cachescope.export.config.MonitoringConfig;
import dev.cachescope.export.testing.SmallDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFilesTest {
  @TempDir Path dir;
  private final MetricsAggregator aggregator =
      MetricsAggregator.builder().publishInterval(Duration.ZERO).build();

  @AfterEach
  void close() {
    aggregator.close();
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void writesOneFilePerCacheAtomicallyAndReadsThemBack() throws IOException {
    CacheMonitor rules = aggregator.register(CacheMonitor.create("RuleCache"));
    rules.recordHit(CacheMonitor.NOT_TIMED, Source.MEMORY, null);
    aggregator.register(CacheMonitor.create("ServiceContainer"));
    SnapshotFiles files = SnapshotFiles.manual(aggregator, dir, 100, Duration.ofDays(1), 1 << 20);

    files.write();

    assertThat(files())
        .hasSize(2)
        .allSatisfy(
            p -> assertThat(p.getFileName().toString()).matches("cache_snapshot_\\w+_\\d+\\.json"));
    List<CacheSnapshot> back = files.snapshotsSince("RuleCache", Instant.EPOCH);
    assertThat(back).hasSize(1);
    assertThat(back.get(0).hits()).isEqualTo(1);
    assertThat(back.get(0).windows()).containsKeys("1m", "1h");
    assertThat(files.snapshotsSince(null, Instant.EPOCH)).hasSize(2);
    assertThat(files.snapshotsSince("RuleCache", Instant.now().plusSeconds(60))).isEmpty();
  }

  @Test
  void cacheNamesCannotEscapeTheDirectory() throws IOException {
    aggregator.register(CacheMonitor.create("../../etc/passwd"));
    aggregator.register(CacheMonitor.create(".hidden"));
    SnapshotFiles files = SnapshotFiles.manual(aggregator, dir, 100, Duration.ofDays(1), 1 << 20);
    files.write();

    assertThat(files()).hasSize(2).allSatisfy(p -> assertThat(p.getParent()).isEqualTo(dir));
    assertThat(files()).noneMatch(p -> p.getFileName().toString().startsWith("."));
    assertThat(files.snapshotsSince("../../etc/passwd", Instant.EPOCH))
        .extracting(CacheSnapshot::cacheName)
        .containsExactly("../../etc/passwd");
    assertThat(SnapshotFiles.safeName("a/b")).isNotEqualTo(SnapshotFiles.safeName("a_b"));
  }

  @Test
  void retentionKeepsTheNewestFilesAndDropsOldOnes() throws IOException {
    aggregator.register(CacheMonitor.create("c"));
    long now = Instant.now().getEpochSecond();
    for (int i = 1; i <= 5; i++) {
      Files.writeString(dir.resolve(SnapshotFiles.fileName("c", now - 10 * i)), "{}");
    }
    Files.writeString(dir.resolve(SnapshotFiles.fileName("c", now - 10 * 86_400L)), "{}");
    SnapshotFiles files = SnapshotFiles.manual(aggregator, dir, 3, Duration.ofDays(1), 1 << 20);

    files.write();

    // The new snapshot and the two newest old ones stay; older and over-age ones go.
    assertThat(files()).hasSize(3);
    List<String> names = files().stream().map(p -> p.getFileName().toString()).toList();
    assertThat(names)
        .contains(SnapshotFiles.fileName("c", now - 10), SnapshotFiles.fileName("c", now - 20))
        .doesNotContain(SnapshotFiles.fileName("c", now - 30));
    assertThat(files()).noneMatch(p -> p.toString().contains(Long.toString(now - 10 * 86_400L)));
  }

  @Test
  void retentionByBytesDeletesTheOldestFirst() throws IOException {
    aggregator.register(CacheMonitor.create("c"));
    long now = Instant.now().getEpochSecond();
    for (int i = 1; i <= 5; i++) {
      Files.writeString(dir.resolve(SnapshotFiles.fileName("c", now - i)), "x".repeat(1_000));
    }
    SnapshotFiles files = SnapshotFiles.manual(aggregator, dir, 100, Duration.ofDays(1), 3_500);
    files.write();
    long total = 0;
    for (Path p : files()) {
      total += Files.size(p);
    }
    assertThat(total).isLessThanOrEqualTo(3_500);
    assertThat(files()).noneMatch(p -> p.toString().contains(Long.toString(now - 5)));
  }

  @Test
  void aCorruptFileIsSkipped() throws IOException {
    aggregator.register(CacheMonitor.create("c"));
    SnapshotFiles files = SnapshotFiles.manual(aggregator, dir, 100, Duration.ofDays(1), 1 << 20);
    files.write();
    Files.writeString(dir.resolve(SnapshotFiles.fileName("c", 1)), "{not json");
    assertThat(files.snapshotsSince("c", Instant.EPOCH)).hasSize(1);
  }

  @Test
  void anUnwritableDirectoryIsAFaultThatRecovers() throws IOException {
    CacheMonitor cache = aggregator.register(CacheMonitor.create("c"));
    Path blocked = dir.resolve("metrics");
    Files.writeString(blocked, "a file where the directory should be");
    BackendConfig.Json config = (BackendConfig.Json) MonitoringConfig.defaults().backends().get(1);
    SnapshotFiles files =
        SnapshotFiles.start(aggregator, config.withDirectory(blocked.toString(), 1));
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> !files.health().ok());
      cache.recordHit(CacheMonitor.NOT_TIMED, Source.MEMORY, null);
      assertThat(cache.snapshot().hits()).isEqualTo(1);
      assertThat(files.health().detail()).contains(blocked.toString());

      Files.delete(blocked);
      await().atMost(Duration.ofSeconds(10)).until(() -> files.health().ok());
      assertThat(Files.isDirectory(blocked)).isTrue();
      assertThat(files.health().failures()).isPositive();
    } finally {
      files.close();
    }
  }

  /**
   * A disk that fills up under the store: the backend says so in its health, leaves no temporary or
   * half-written file behind, keeps the cache working, and writes again once there is room. The
   * disk is a 256 KiB tmpfs, which needs root to mount: skipped where it cannot.
   */
  @Test
  void aFullDiskIsAFaultThatLeavesNoTornFileAndRecovers() throws Exception {
    CacheMonitor cache = aggregator.register(CacheMonitor.create("c"));
    BackendConfig.Json config = (BackendConfig.Json) MonitoringConfig.defaults().backends().get(1);
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("small-disk"), 256)) {
      Path data = disk.path().resolve("metrics");
      SnapshotFiles files =
          SnapshotFiles.start(aggregator, config.withDirectory(data.toString(), 1));
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> snapshotsIn(data) >= 1);
        disk.fill();
        await().atMost(Duration.ofSeconds(10)).until(() -> !files.health().ok());
        assertThat(files.health().detail()).contains(data.toString());
        cache.recordHit(CacheMonitor.NOT_TIMED, Source.MEMORY, null);
        assertThat(cache.snapshot().hits()).isEqualTo(1);
        assertEveryFileIsAWholeSnapshot(files, data);

        disk.free();
        await().atMost(Duration.ofSeconds(10)).until(() -> files.health().ok());
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    files.snapshotsSince("c", Instant.EPOCH).stream().anyMatch(s -> s.hits() == 1));
        assertEveryFileIsAWholeSnapshot(files, data);
      } finally {
        files.close();
      }
    }
  }

  private static long snapshotsIn(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(directory)) {
      return s.filter(p -> p.getFileName().toString().startsWith("cache_snapshot_")).count();
    }
  }

  private static void assertEveryFileIsAWholeSnapshot(SnapshotFiles files, Path directory)
      throws IOException {
    try (Stream<Path> s = Files.list(directory)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .allMatch(name -> name.startsWith("cache_snapshot_") && name.endsWith(".json"));
    }
    assertThat(files.snapshotsSince("c", Instant.EPOCH)).hasSize((int) snapshotsIn(directory));
  }

  @Test
  void closingWritesALastRound() throws IOException {
    aggregator.register(CacheMonitor.create("c"));
    BackendConfig.Json defaults =
        (BackendConfig.Json) MonitoringConfig.defaults().backends().get(1);
    SnapshotFiles files =
        SnapshotFiles.start(aggregator, defaults.withDirectory(dir.toString(), 3_600));
    assertThat(files()).isEmpty();
    files.close();
    assertThat(files()).hasSize(1);
  }
}
