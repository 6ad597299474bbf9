/**
 * The recording machinery behind {@link dev.cachescope.CacheMonitor}. Not API: these classes are
 * public only so that the public package can use them, and they change without notice.
 *
 * <p>The rule of this package: code that runs on a cache caller's thread takes no lock, does no
 * I/O, allocates nothing and never throws. Everything that can wait runs where the data is read.
 */
@NullMarked
package dev.cachescope.internal;

import org.jspecify.annotations.NullMarked;
