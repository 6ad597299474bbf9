/** The runnable: {@code cachescope demo | health | export}. Not API. */
@NullMarked
package dev.cachescope.app;

import org.jspecify.annotations.NullMarked;
