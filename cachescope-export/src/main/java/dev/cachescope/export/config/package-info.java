/**
 * Reading {@code monitoring.yaml} and the {@code CACHE_MONITORING_*} environment variables: {@link
 * dev.cachescope.export.config.MonitoringConfig}, with errors that name the file, the key and what
 * was expected ({@link dev.cachescope.export.config.ConfigException}).
 */
@NullMarked
package dev.cachescope.export.config;

import org.jspecify.annotations.NullMarked;
