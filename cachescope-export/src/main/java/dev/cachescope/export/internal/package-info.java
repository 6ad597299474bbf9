/**
 * Helpers the export packages share (the JSON mapper, daemon threads, backend health). Not API:
 * public only so that the sibling packages can use them; the module does not export it.
 */
@NullMarked
package dev.cachescope.export.internal;

import org.jspecify.annotations.NullMarked;
