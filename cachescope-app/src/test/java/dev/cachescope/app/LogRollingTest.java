package dev.cachescope.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import dev.cachescope.export.files.OperationLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped logging configuration keeps the design's log at 10 MB × 5 files: written at 10 MB/s
 * (over three times what the demo writes at --rate 2000), every file stays within 10% of its size
 * and no more files are kept.
 */
class LogRollingTest {
  private static final long MAX_FILE = 10L * 1024 * 1024;

  @Test
  void theLogStaysWithinTenPercentOfItsSizeAndCount(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cache_metrics.log");
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    context.putProperty("cachescope.log.file", file.toString());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(DemoCommand.class.getResource("/logback.xml"));
    Logger log = context.getLogger(OperationLog.LOGGER_NAME);
    String line =
        "{\"cache_name\":\"RuleCache\",\"operation\":\"get\",\"timestamp\":1796243308.038183,"
            + "\"duration_ms\":0.012,\"result\":\"hit\",\"key\":null,\"key_hash\":\"9f2c4a1b\","
            + "\"size_bytes\":null,\"source\":\"memory\",\"padding\":\""
            + "x".repeat(60)
            + "\"}";
    long bytesPerLine = line.length() + 23; // the pattern's date and separator, and a newline
    long linesPer10Ms = 100_000 / bytesPerLine; // 10 MB/s
    long start = System.nanoTime();
    long written = 0;
    for (int tick = 0; written < 70 * 1024 * 1024; tick++) {
      for (int i = 0; i < linesPer10Ms; i++) {
        log.info(line);
      }
      written += linesPer10Ms * bytesPerLine;
      // The workload's pace, 10 ms per batch: a rate, not a wait for a result.
      long due = start + (tick + 1) * 10_000_000L;
      LockSupport.parkNanos(due - System.nanoTime());
    }
    context.stop();

    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.sorted().toList();
    }
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "cache_metrics.log",
            "cache_metrics.log.1",
            "cache_metrics.log.2",
            "cache_metrics.log.3",
            "cache_metrics.log.4",
            "cache_metrics.log.5");
    for (Path p : files.subList(1, files.size())) {
      assertThat(size(p)).as(p.toString()).isBetween(MAX_FILE, MAX_FILE + MAX_FILE / 10);
    }
    assertThat(size(file)).isLessThanOrEqualTo(MAX_FILE + MAX_FILE / 10);
  }

  private static long size(Path p) throws IOException {
    return Files.size(p);
  }
}
