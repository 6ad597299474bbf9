/**
 * Exposing cachescope's metrics with no external service: {@code monitoring.yaml}, the JSON-lines
 * log, snapshot files, the HTTP API and dashboard, Prometheus text and a Micrometer binder
 * (Micrometer is optional). {@code dev.cachescope.export.internal} holds helpers the sub-packages
 * share and is not exported.
 */
module dev.cachescope.export {
  requires transitive dev.cachescope.core;
  requires com.fasterxml.jackson.databind;
  requires HdrHistogram;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires io.prometheus.metrics.config;
  requires io.prometheus.writer.text;
  requires io.prometheus.metrics.model;
  requires java.net.http;
  requires dev.cachescope.shaded.jetty;
  requires org.slf4j;
  requires org.webjars.locator_lite;
  requires static micrometer.core;

  exports dev.cachescope.export;
  exports dev.cachescope.export.alerts;
  exports dev.cachescope.export.config;
  exports dev.cachescope.export.files;
  exports dev.cachescope.export.http;
  exports dev.cachescope.export.metrics;

  // monitoring.yaml is read into RawConfig's fields by Jackson.
  opens dev.cachescope.export.config to
      com.fasterxml.jackson.databind;
}
