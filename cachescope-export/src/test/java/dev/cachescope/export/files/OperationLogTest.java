package dev.cachescope.export.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.Source;
import dev.cachescope.export.testing.SmallDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class OperationLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(OperationLog.LOGGER_NAME);
  private final MetricsAggregator aggregator =
      MetricsAggregator.builder().publishInterval(Duration.ZERO).build();

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
    aggregator.close();
  }

  private List<JsonNode> json() throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (ILoggingEvent event : List.copyOf(lines.list)) {
      nodes.add(JSON.readTree(event.getFormattedMessage()));
    }
    return nodes;
  }

  @Test
  void eachOperationIsOneJsonLineInTheDesignsFormatWithoutKeys() throws Exception {
    CacheMonitor rules = aggregator.register(CacheMonitor.create("RuleCache"));
    OperationLog log =
        new OperationLog(aggregator, "INFO", dir.resolve("cache_metrics.log"), Duration.ofHours(1));
    try {
      rules.recordMiss(rules.startLookup(), Source.DISK, "CON-01");
      rules.recordPut(rules.startTimed(), "CON-01", 512);
      aggregator.flush();

      List<JsonNode> logged = json();
      assertThat(logged).hasSize(2);
      JsonNode miss = logged.get(0);
      assertThat(miss.get("cache_name").asText()).isEqualTo("RuleCache");
      assertThat(miss.get("operation").asText()).isEqualTo("get");
      assertThat(miss.get("result").asText()).isEqualTo("miss");
      assertThat(miss.get("source").asText()).isEqualTo("disk");
      assertThat(miss.get("timestamp").asDouble()).isPositive();
      assertThat(lines.list.get(0).getFormattedMessage())
          .containsPattern("\"timestamp\":1\\d{9}\\.\\d");
      assertThat(miss.get("key").isNull()).isTrue();
      assertThat(lines.list.get(0).getFormattedMessage()).doesNotContain("CON-01");
      assertThat(logged.get(1).get("size_bytes").asLong()).isEqualTo(512);
    } finally {
      log.close();
    }
  }

  @Test
  void keysAreLoggedWhenTracked() throws Exception {
    CacheMonitor rules =
        aggregator.register(CacheMonitor.builder("RuleCache").trackKeys(true).build());
    OperationLog log =
        new OperationLog(aggregator, "INFO", dir.resolve("cache_metrics.log"), Duration.ofHours(1));
    try {
      rules.recordMiss(rules.startLookup(), null, "CON-01");
      aggregator.flush();
      assertThat(json().get(0).get("key").asText()).isEqualTo("CON-01");
    } finally {
      log.close();
    }
  }

  @Test
  void snapshotsAreLoggedEveryInterval() {
    aggregator.register(CacheMonitor.create("ServiceContainer"));
    OperationLog log =
        new OperationLog(
            aggregator, "INFO", dir.resolve("cache_metrics.log"), Duration.ofMillis(200));
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> json().stream().anyMatch(n -> n.has("total_entries") && n.has("hit_rate")));
    } finally {
      log.close();
    }
  }

  @Test
  void aLevelBelowTheLoggersLogsNothing() throws Exception {
    CacheMonitor rules = aggregator.register(CacheMonitor.create("RuleCache"));
    OperationLog log =
        new OperationLog(
            aggregator, "TRACE", dir.resolve("cache_metrics.log"), Duration.ofHours(1));
    try {
      rules.recordMiss(rules.startLookup(), null, "x");
      aggregator.flush();
      assertThat(lines.list).isEmpty();
    } finally {
      log.close();
    }
  }

  @Test
  void anUnwritableLogFileShowsInHealthAndRecovers() throws Exception {
    Path logs = dir.resolve("logs");
    Files.writeString(logs, "a file where the log directory should be");
    OperationLog log =
        new OperationLog(
            aggregator, "INFO", logs.resolve("cache_metrics.log"), Duration.ofHours(1));
    try {
      assertThat(log.health().ok()).isFalse();
      assertThat(log.health().detail()).contains("cannot be written");
      Files.delete(logs);
      assertThat(log.health().ok()).isTrue();
    } finally {
      log.close();
    }
  }

  /**
   * On a full disk the logging framework drops lines without telling anyone; the backend says so in
   * its health. The disk is a 64 KiB tmpfs, which needs root to mount: skipped where it cannot.
   */
  @Test
  void aFullDiskShowsInHealthAndRecovers() throws Exception {
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("small-disk"), 64)) {
      OperationLog log =
          new OperationLog(
              aggregator, "INFO", disk.path().resolve("cache_metrics.log"), Duration.ofHours(1));
      try {
        assertThat(log.health().ok()).isTrue();
        disk.fill();
        assertThat(log.health().ok()).isFalse();
        assertThat(log.health().detail()).contains("is full");
        disk.free();
        assertThat(log.health().ok()).isTrue();
      } finally {
        log.close();
      }
    }
  }
}
