/**
 * The database: one JDBC store over SQLite (default, one writer, WAL) or PostgreSQL, migrated
 * with Flyway at start. Every version of a record is one row of {@code versions}, valid from the
 * commit that made it to the one that replaced it; bodies are content-addressed within a
 * cluster. {@code Snapshots} writes, {@code Inventory} and {@code InventoryViews} read.
 */
package io.k8scollector.receiver.store;
