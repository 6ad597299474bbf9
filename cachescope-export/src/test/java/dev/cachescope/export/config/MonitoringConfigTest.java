package dev.cachescope.export.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachescope.CacheInspector;
import dev.cachescope.CacheMonitor;
import dev.cachescope.CacheSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonitoringConfigTest {
  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("monitoring.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  /**
   * Bad files a user writes by mistake: each is refused with one line that names the file, where,
   * and what to do, and no internal class name.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          an empty section      | cache_monitoring:¶                               | cache_monitoring: has no value
          an empty list         | cache_monitoring:¶  backends:¶                 | cache_monitoring.backends: has no value
          a duplicate key       | cache_monitoring:¶  enabled: true¶  enabled: false¶ | a second 'enabled'; give each key once
          a second document     | cache_monitoring:¶  enabled: true¶---¶x: 1¶ | line 4: a second YAML document
          yes for true          | cache_monitoring:¶  enabled: yes¶              | expected true or false, not 'yes'
          off for false         | cache_monitoring:¶  track_keys: off¶           | expected true or false, not 'off'
          a binary tag          | cache_monitoring:¶  backends:¶    - type: logger¶      log_file: !!binary aGVsbG8=¶ | expected text, not a tagged or nested value
          a list for a mapping  | cache_monitoring:¶  alerts: [1, 2]¶            | cache_monitoring.alerts: wrong type: expected a mapping of keys
          a tab for indent      | cache_monitoring:¶→enabled: true¶            | (Do not use \\t(TAB) for indentation)
          a top-level list      | - 1¶- 2¶                                     | expected a mapping of keys
          """)
  void aBadFileIsOneLineNamingTheFileAndWhatToDo(String what, String yaml, String expected)
      throws IOException {
    Path file = write(yaml.replace("¶", "\n").replace("→", "\t"));
    assertThatThrownBy(() -> MonitoringConfig.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e -> {
              String message = String.valueOf(e.getMessage());
              assertThat(message).as(what).startsWith(file.toString()).contains(expected);
              assertThat(message).as(what + ": one line").doesNotContain("\n");
              assertThat(message)
                  .as(what + ": no internal names")
                  .doesNotContain("RawConfig", "$", "java.", "com.fasterxml", "Exception");
            });
  }

  @Test
  void anOversizedFileIsRefusedBeforeItIsParsed() throws IOException {
    Path file = write("cache_monitoring:\n  backends:\n    - type: logger\n      log_file: ");
    Files.writeString(
        file,
        "x".repeat((int) MonitoringConfig.MAX_FILE_BYTES),
        java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> MonitoringConfig.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("more than a monitoring.yaml may have");
  }

  @Test
  void anEmptyFileIsTheDefaults() throws IOException {
    assertThat(MonitoringConfig.load(write("  \n"), Map.of()))
        .isEqualTo(MonitoringConfig.defaults());
  }

  @Test
  void theApiBackendTakesTheHostsItAnswersTo() throws IOException {
    Path file =
        write(
            """
            cache_monitoring:
              backends:
                - type: api
                  allowed_hosts: [cachescope.internal, "Metrics.Example:9000"]
            """);
    assertThat(MonitoringConfig.load(file, Map.of()).api())
        .get()
        .extracting(BackendConfig.Api::allowedHosts)
        .isEqualTo(List.of("cachescope.internal", "Metrics.Example:9000"));
    assertThat(MonitoringConfig.defaults().backends())
        .filteredOn(b -> b instanceof BackendConfig.Api)
        .singleElement()
        .extracting(b -> ((BackendConfig.Api) b).allowedHosts())
        .isEqualTo(List.of());
  }

  @Test
  void theDesignsExampleFileLoads() throws IOException {
    Path file =
        write(
            """
            cache_monitoring:
              enabled: true
              backends:
                - type: logger
                  enabled: true
                  log_level: INFO
                  log_file: logs/cache_metrics.log
                - type: json
                  enabled: false
                  data_dir: data/metrics
                  snapshot_interval_seconds: 300
                - type: api
                  enabled: false
              max_operations_history: 10000
              track_keys: false
              caches:
                RuleCache:
                  enabled: true
                  track_timing: true
                  track_memory: true
                FileCache:
                  enabled: false
            """);
    MonitoringConfig config = MonitoringConfig.load(file, Map.of());

    assertThat(config.enabled()).isTrue();
    assertThat(config.backends())
        .extracting(BackendConfig::type)
        .containsExactly(BackendType.LOGGER, BackendType.JSON, BackendType.API);
    assertThat(config.logger())
        .get()
        .extracting(BackendConfig.Logger::logFile)
        .isEqualTo("logs/cache_metrics.log");
    assertThat(config.backend(BackendType.JSON)).isEmpty();
    assertThat(config.cache("FileCache").enabled()).isFalse();
    assertThat(config.cache("RegisteredLater")).isEqualTo(CacheSettings.DEFAULT);
    CacheMonitor fileCache = config.monitorOptions("FileCache").build();
    assertThat(fileCache.isEnabled()).isFalse();
    assertThat(config.monitorOptions("RuleCache").build().historyCapacity()).isEqualTo(10_000);
  }

  @Test
  void trackMemoryFalseTurnsMemoryMeasurementOff() throws IOException {
    MonitoringConfig config =
        MonitoringConfig.load(
            write(
                """
                cache_monitoring:
                  caches:
                    Quiet: {track_memory: false}
                """),
            Map.of());
    Map<String, String> entries = new java.util.HashMap<>(Map.of("k", "a value worth measuring"));
    CacheInspector<Map<String, String>> inspector =
        new CacheInspector<>() {
          @Override
          public long entries(Map<String, String> cache) {
            return cache.size();
          }

          @Override
          public java.util.List<? extends Map.Entry<?, ?>> sampleEntries(
              Map<String, String> cache, int limit) {
            return java.util.List.copyOf(cache.entrySet());
          }
        };
    CacheSnapshot quiet =
        config.monitorOptions("Quiet").inspect(entries, inspector).build().snapshot();
    CacheSnapshot measured =
        config.monitorOptions("Other").inspect(entries, inspector).build().snapshot();
    assertThat(quiet.memoryMethod()).isEqualTo("unknown");
    assertThat(quiet.memoryUsageBytes()).isZero();
    // Where JOL can read layouts, the same cache with the switch on is measured.
    if (!measured.memoryMethod().equals("unknown")) {
      assertThat(measured.memoryUsageBytes()).isPositive();
    }
  }

  @Test
  void settingsFromAFrameworkAreCheckedAsTheFileIs() {
    MonitoringConfig config =
        MonitoringConfig.fromSettings(
            Map.of("hit_sample_rate", 16, "caches", Map.of("A", Map.of("enabled", false))),
            "application.yaml",
            "cachescope",
            Map.of(MonitoringConfig.ENV_BACKENDS, "json"));
    assertThat(config.hitSampleRate()).isEqualTo(16);
    assertThat(config.cache("A").enabled()).isFalse();
    assertThat(config.backend(BackendType.JSON)).isPresent();
    assertThat(config.backend(BackendType.LOGGER)).isEmpty();
    assertThatThrownBy(
            () ->
                MonitoringConfig.fromSettings(
                    Map.of("backends", java.util.List.of(Map.of("type", "api", "port", 70_000))),
                    "application.yaml",
                    "cachescope",
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("application.yaml: cachescope.backends[0].port:");
  }

  @Test
  void noFileMeansTheDefaults() {
    MonitoringConfig config = MonitoringConfig.load(dir.resolve("absent.yaml"), Map.of());
    assertThat(config).isEqualTo(MonitoringConfig.defaults());
    assertThat(config.backend(BackendType.LOGGER)).isPresent();
    assertThat(config.backend(BackendType.JSON)).isEmpty();
    assertThat(config.backend(BackendType.API)).isEmpty();
    assertThat(config.maxOperationsHistory()).isEqualTo(10_000);
    assertThat(config.trackKeys()).isFalse();
  }

  @Test
  void theEnvironmentOverridesTheFile() throws IOException {
    Path file =
        write(
            """
            cache_monitoring:
              enabled: true
              backends:
                - type: logger
                  log_level: INFO
                - type: json
                  enabled: false
            """);
    MonitoringConfig config =
        MonitoringConfig.load(
            file,
            Map.of(
                "CACHE_MONITORING_ENABLED", "false",
                "CACHE_MONITORING_LOG_LEVEL", "debug",
                "CACHE_MONITORING_BACKENDS", "json,api"));
    assertThat(config.enabled()).isFalse();
    assertThat(config.backend(BackendType.LOGGER)).isEmpty();
    assertThat(config.backend(BackendType.JSON)).isPresent();
    assertThat(config.api()).get().extracting(BackendConfig.Api::port).isEqualTo(8080);
    MonitoringConfig logging =
        MonitoringConfig.load(
            file,
            Map.of("CACHE_MONITORING_LOG_LEVEL", "debug", "CACHE_MONITORING_BACKENDS", "logger"));
    assertThat(logging.logger())
        .get()
        .extracting(BackendConfig.Logger::logLevel)
        .isEqualTo("DEBUG");
  }

  @Test
  void anUnknownKeyIsNamedWithItsLineAndTheValidKeys() throws IOException {
    Path file =
        write(
            """
            cache_monitoring:
              enabeld: true
            """);
    assertThatThrownBy(() -> MonitoringConfig.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": line 2")
        .hasMessageContaining("cache_monitoring.enabeld: unknown key")
        .hasMessageContaining(
            "valid keys here: alerts, backends, caches, enabled, hit_sample_rate,"
                + " max_operations_history,"
                + " track_keys");
  }

  @Test
  void aWrongTypeSaysWhatWasExpected() throws IOException {
    Path file =
        write(
            """
            cache_monitoring:
              backends:
                - type: api
                  port: eighty
            """);
    assertThatThrownBy(() -> MonitoringConfig.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 4")
        .hasMessageContaining("cache_monitoring.backends[0].port")
        .hasMessageContaining("wrong type: expected a whole number");
  }

  @Test
  void aBadValueSaysWhatWasExpected() throws IOException {
    Path file =
        write(
            """
            cache_monitoring:
              hit_sample_rate: 100
              backends:
                - type: api
                  port: 70000
            """);
    assertThatThrownBy(() -> MonitoringConfig.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("cache_monitoring.hit_sample_rate")
        .hasMessageContaining("expected a power of two");
    Files.writeString(file, "cache_monitoring:\n  backends:\n    - type: ftp\n");
    assertThatThrownBy(() -> MonitoringConfig.load(file, Map.of()))
        .hasMessageContaining("cache_monitoring.backends[0].type")
        .hasMessageContaining("expected one of logger, json, api, got 'ftp'");
  }

  @Test
  void aBackendWithoutATypeIsNamed() throws IOException {
    Path file = write("cache_monitoring:\n  backends:\n    - enabled: true\n");
    assertThatThrownBy(() -> MonitoringConfig.load(file, Map.of()))
        .hasMessage(
            file
                + ": cache_monitoring.backends[0].type: missing; expected one of logger, json, api");
  }

  @Test
  void brokenYamlIsReportedWithItsLine() throws IOException {
    Path file = write("cache_monitoring:\n  enabled: true\n  backends: [\n    {type: json\n");
    assertThatThrownBy(() -> MonitoringConfig.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": line 4")
        .hasMessageContaining("while parsing a flow mapping");
    Files.writeString(file, "cache_monitoring:\n  enabled: yes please\n");
    assertThatThrownBy(() -> MonitoringConfig.load(file, Map.of()))
        .hasMessage(
            file
                + ": line 2, column 12: cache_monitoring.enabled: wrong type: expected true or false");
  }

  @Test
  void badEnvironmentValuesNameTheVariable() {
    assertThatThrownBy(
            () -> MonitoringConfig.load(null, Map.of("CACHE_MONITORING_ENABLED", "maybe")))
        .hasMessageStartingWith("CACHE_MONITORING_ENABLED=maybe: expected true or false");
    assertThatThrownBy(
            () -> MonitoringConfig.load(null, Map.of("CACHE_MONITORING_BACKENDS", "logger,kafka")))
        .hasMessageContaining("'kafka' is not a backend");
    assertThatThrownBy(
            () -> MonitoringConfig.load(null, Map.of("CACHE_MONITORING_LOG_LEVEL", "LOUD")))
        .hasMessageStartingWith("CACHE_MONITORING_LOG_LEVEL=LOUD: expected one of TRACE");
  }
}
