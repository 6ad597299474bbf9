package dev.cachescope.export.config;

import java.util.Locale;

/** The seed design's backend types (see docs/exporters.md): where metrics go. */
public enum BackendType {
  /** JSON lines through SLF4J, one per operation and per snapshot. */
  LOGGER,
  /** Periodic snapshot files in a directory. */
  JSON,
  /** The HTTP API, with Prometheus {@code /metrics}. */
  API;

  /** The lowercase name used in {@code monitoring.yaml}, e.g. {@code "json"}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
