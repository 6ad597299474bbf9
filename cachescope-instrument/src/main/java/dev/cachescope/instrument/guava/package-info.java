/** Monitoring for Guava caches: see {@link dev.cachescope.instrument.guava.GuavaMonitoring}. */
@NullMarked
package dev.cachescope.instrument.guava;

import org.jspecify.annotations.NullMarked;
