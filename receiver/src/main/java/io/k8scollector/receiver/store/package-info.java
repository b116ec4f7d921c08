/**
 * The database: one JDBC store over SQLite (default, one writer, WAL) or PostgreSQL, migrated
 * with Flyway at start. Snapshots share content-addressed bodies; a fetching only adds
 * membership rows.
 */
package io.k8scollector.receiver.store;
