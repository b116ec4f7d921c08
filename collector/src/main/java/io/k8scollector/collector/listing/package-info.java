/**
 * ConcurrentLister: every object of a selected type, page by page, streamed so that memory never holds more than the pages in flight.
 */
package io.k8scollector.collector.listing;
