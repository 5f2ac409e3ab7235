/**
 * What the bridge ({@code io.tributary.routes}) and its parts ({@code http}, {@code jdbc}, {@code api},
 * {@code metrics}) share, and nothing else: the variables a message offers a route's templates, and the two
 * ways a part fails (a message it cannot map, a part that cannot start). A leaf: it depends on none of them,
 * so that the parts never depend on the bridge that assembles them.
 */
package io.tributary.routes.spi;
