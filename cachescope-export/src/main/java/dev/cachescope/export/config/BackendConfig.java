package dev.cachescope.export.config;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code cache_monitoring.backends}: a {@link Logger}, a {@link Json} snapshot store
 * or the {@link Api}. Each kind holds only its own keys; the seed design's keys come first in each.
 */
public sealed interface BackendConfig {
  /** Which backend this configures. */
  BackendType type();

  /** Whether it runs. */
  boolean enabled();

  /** The same configuration, running or not. */
  BackendConfig withEnabled(boolean enabled);

  /**
   * The logger backend: one JSON line per operation and per snapshot.
   *
   * @param logLevel level of its lines: TRACE, DEBUG, INFO, WARN or ERROR
   * @param logFile where the application's logging writes the lines (the runnable app routes the
   *     {@code cachescope.metrics} logger there)
   * @param snapshotIntervalSeconds how often snapshots are logged
   */
  record Logger(boolean enabled, String logLevel, String logFile, int snapshotIntervalSeconds)
      implements BackendConfig {
    @Override
    public BackendType type() {
      return BackendType.LOGGER;
    }

    @Override
    public Logger withEnabled(boolean enabled) {
      return new Logger(enabled, logLevel, logFile, snapshotIntervalSeconds);
    }
  }

  /**
   * The json backend: snapshot files in a directory.
   *
   * @param dataDir the directory
   * @param snapshotIntervalSeconds how often snapshots are written
   * @param retentionMaxFiles files kept per cache
   * @param retentionMaxAgeSeconds files older than this are deleted
   * @param retentionMaxBytes all files together stay under this
   */
  record Json(
      boolean enabled,
      String dataDir,
      int snapshotIntervalSeconds,
      int retentionMaxFiles,
      long retentionMaxAgeSeconds,
      long retentionMaxBytes)
      implements BackendConfig {
    @Override
    public BackendType type() {
      return BackendType.JSON;
    }

    @Override
    public Json withEnabled(boolean enabled) {
      return new Json(
          enabled,
          dataDir,
          snapshotIntervalSeconds,
          retentionMaxFiles,
          retentionMaxAgeSeconds,
          retentionMaxBytes);
    }

    /** The same store in {@code dataDir}, written every {@code snapshotIntervalSeconds}. */
    public Json withDirectory(String dataDir, int snapshotIntervalSeconds) {
      return new Json(
          enabled,
          dataDir,
          snapshotIntervalSeconds,
          retentionMaxFiles,
          retentionMaxAgeSeconds,
          retentionMaxBytes);
    }
  }

  /**
   * The api backend: the HTTP API, {@code /health}, {@code /metrics} and the dashboard.
   *
   * @param bindAddress the address; 127.0.0.1 unless you mean to expose it
   * @param port the port; 0 takes any free one
   * @param token when set, the API requires {@code Authorization: Bearer <token>}
   * @param threads the request threads
   * @param allowedHosts names besides localhost, 127.0.0.1 and [::1] that a server bound to
   *     loopback answers to in the {@code Host} header (requests naming another host get a 421:
   *     that is how a web page would reach it through DNS rebinding)
   */
  record Api(
      boolean enabled,
      String bindAddress,
      int port,
      @Nullable String token,
      int threads,
      List<String> allowedHosts)
      implements BackendConfig {
    @Override
    public BackendType type() {
      return BackendType.API;
    }

    @Override
    public Api withEnabled(boolean enabled) {
      return new Api(enabled, bindAddress, port, token, threads, allowedHosts);
    }

    /** The same API on {@code port}. */
    public Api withPort(int port) {
      return new Api(enabled, bindAddress, port, token, threads, allowedHosts);
    }
  }
}
