package dev.cachescope.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.config.MonitoringConfig;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitoringTest {
  @TempDir Path dir;

  private Path config(int port) throws Exception {
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
              snapshot_interval_seconds: 3600
            - type: api
              port: %d
        """
            .formatted(dir.resolve("logs/cache_metrics.log"), dir.resolve("metrics"), port));
    return file;
  }

  @Test
  void startsEveryConfiguredBackendAndHealthCoversThemAll() throws Exception {
    try (MetricsAggregator aggregator =
        MetricsAggregator.builder().publishInterval(Duration.ZERO).build()) {
      aggregator.register(CacheMonitor.create("RuleCache"));
      Monitoring monitoring =
          Monitoring.start(MonitoringConfig.load(config(0), Map.of()), aggregator);
      try {
        assertThat(monitoring.server()).isPresent();
        assertThat(monitoring.health())
            .extracting(BackendHealth::backend)
            .containsExactly("logger", "json", "hlog", "api");
        assertThat(monitoring.health()).allMatch(BackendHealth::ok);
      } finally {
        monitoring.close();
      }
      try (var files = Files.list(dir.resolve("metrics"))) {
        assertThat(files.count()).isEqualTo(1);
      }
    }
  }

  @Test
  void aDisabledConfigurationStartsNothing() throws Exception {
    try (MetricsAggregator aggregator =
        MetricsAggregator.builder().publishInterval(Duration.ZERO).build()) {
      Monitoring monitoring =
          Monitoring.start(
              MonitoringConfig.load(config(0), Map.of("CACHE_MONITORING_ENABLED", "false")),
              aggregator);
      assertThat(monitoring.backends()).isEmpty();
      monitoring.close();
    }
  }

  @Test
  void aPortInUseSaysWhichAndStopsWhatStarted() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        MetricsAggregator aggregator =
            MetricsAggregator.builder().publishInterval(Duration.ZERO).build()) {
      MonitoringConfig config = MonitoringConfig.load(config(taken.getLocalPort()), Map.of());
      assertThatThrownBy(() -> Monitoring.start(config, aggregator))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
    }
  }
}
