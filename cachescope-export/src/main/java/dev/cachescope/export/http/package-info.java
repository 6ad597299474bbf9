/**
 * The HTTP API, {@code /health}, {@code /metrics} and the dashboard: {@link
 * dev.cachescope.export.http.HttpApi}, a transport-neutral handler, and {@link
 * dev.cachescope.export.http.MetricsHttpServer}, the handler on an embedded (relocated) Jetty;
 * {@link dev.cachescope.export.http.ApiViews} gives other transports the API's JSON.
 */
@NullMarked
package dev.cachescope.export.http;

import org.jspecify.annotations.NullMarked;
