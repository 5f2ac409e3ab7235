package io.tributary.routes.jdbc;

/**
 * What a JDBC sink has written so far.
 *
 * @param batches transactions committed
 * @param rows rows committed
 * @param largestBatch the most rows committed in one transaction
 */
record WriterStatistics(long batches, long rows, int largestBatch) {
}
