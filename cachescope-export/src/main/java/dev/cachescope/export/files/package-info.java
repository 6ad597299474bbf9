/**
 * The backends that write files: the JSON-lines {@link dev.cachescope.export.files.OperationLog}
 * and the {@link dev.cachescope.export.files.SnapshotFiles} store.
 */
@NullMarked
package dev.cachescope.export.files;

import org.jspecify.annotations.NullMarked;
