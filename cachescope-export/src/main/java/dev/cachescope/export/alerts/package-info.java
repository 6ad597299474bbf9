/**
 * Alert rules evaluated against the caches: the {@link dev.cachescope.export.alerts.AlertBackend},
 * its log lines and webhook.
 */
@NullMarked
package dev.cachescope.export.alerts;

import org.jspecify.annotations.NullMarked;
