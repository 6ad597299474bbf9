package dev.cachescope.export.config;

import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code cache_monitoring.backends}. The seed design's keys come first; the rest serve
 * the backends it left open.
 *
 * @param type {@code logger}, {@code json} or {@code api}
 * @param enabled whether it runs
 * @param logLevel level of the logger backend's lines: TRACE, DEBUG, INFO, WARN or ERROR
 * @param logFile where the application's logging writes the lines (the runnable app routes the
 *     {@code cachescope.metrics} logger there)
 * @param dataDir directory of the json backend's snapshot files
 * @param snapshotIntervalSeconds how often snapshots are written or logged
 * @param retentionMaxFiles snapshot files kept per cache
 * @param retentionMaxAgeSeconds snapshot files older than this are deleted
 * @param retentionMaxBytes all snapshot files together stay under this
 * @param bindAddress the api backend's address; 127.0.0.1 unless you mean to expose it
 * @param port the api backend's port; 0 takes any free one
 * @param token when set, the api requires {@code Authorization: Bearer <token>}
 * @param threads the api's request threads
 */
public record BackendConfig(
    BackendType type,
    boolean enabled,
    String logLevel,
    String logFile,
    String dataDir,
    int snapshotIntervalSeconds,
    int retentionMaxFiles,
    long retentionMaxAgeSeconds,
    long retentionMaxBytes,
    String bindAddress,
    int port,
    @Nullable String token,
    int threads) {}
