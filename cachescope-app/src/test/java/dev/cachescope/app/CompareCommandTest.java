package dev.cachescope.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachescope.CacheMonitor;
import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.Source;
import dev.cachescope.export.Monitoring;
import dev.cachescope.export.config.MonitoringConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
  @TempDir Path dir;

  /** Snapshots of a "rules" cache with {@code hits} hits out of 100 lookups. */
  private static List<CacheSnapshot> deployment(int hits) {
    try (MetricsAggregator aggregator =
        MetricsAggregator.builder().publishInterval(Duration.ZERO).build()) {
      CacheMonitor monitor = aggregator.register(CacheMonitor.builder("rules").build());
      for (int i = 0; i < 100; i++) {
        if (i < hits) {
          monitor.recordHit(monitor.startLookup(), Source.MEMORY, i);
        } else {
          monitor.recordMiss(monitor.startLookup(), null, i);
        }
      }
      return aggregator.snapshots();
    }
  }

  @Test
  void comparesTwoExportsCacheByCache() throws Exception {
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    SummarySource.JSON.writeValue(a.toFile(), deployment(60));
    SummarySource.JSON.writeValue(b.toFile(), deployment(85));

    CliRun table = CliRun.of("compare", a.toString(), b.toString());
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out())
        .containsPattern("rules +hit_rate +60\\.0% +85\\.0% +\\+25\\.0 pp better")
        .contains("gets");

    CliRun json = CliRun.of("compare", "--json", a.toString(), b.toString());
    JsonNode hitRate = SummarySource.JSON.readTree(json.out()).at("/caches/rules/hit_rate");
    assertThat(hitRate.get("a").asDouble()).isEqualTo(0.6);
    assertThat(hitRate.get("b").asDouble()).isEqualTo(0.85);
    assertThat(hitRate.get("change").asDouble()).isCloseTo(0.25, within(1e-9));
  }

  @Test
  void readsSnapshotDirectoriesAndSaysWhatToPass() throws Exception {
    Path metrics = dir.resolve("metrics");
    Files.writeString(
        dir.resolve("monitoring.yaml"),
        """
        cache_monitoring:
          backends:
            - type: json
              data_dir: %s
        """
            .formatted(metrics));
    try (MetricsAggregator aggregator =
        MetricsAggregator.builder().publishInterval(Duration.ZERO).build()) {
      CacheMonitor monitor = aggregator.register(CacheMonitor.builder("rules").build());
      monitor.recordHit(monitor.startLookup(), Source.MEMORY, "k");
      try (Monitoring ignored =
          Monitoring.start(
              MonitoringConfig.load(dir.resolve("monitoring.yaml"), Map.of()), aggregator)) {
        // closing writes a last round of snapshot files
      }
    }
    Path export = dir.resolve("b.json");
    SummarySource.JSON.writeValue(export.toFile(), deployment(50));
    CliRun run = CliRun.of("compare", metrics.toString(), export.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("rules +hit_rate +100\\.0% +50\\.0% +-50\\.0 pp worse");

    CliRun missing = CliRun.of("compare", dir.resolve("nope").toString(), export.toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("does not exist; pass a snapshot directory");
    Path junk = dir.resolve("junk.json");
    Files.writeString(junk, "{not json");
    CliRun bad = CliRun.of("compare", junk.toString(), export.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("cannot read " + junk + " as an export");
  }
}
