/**
 * Access keys and bearer tokens. Secrets are stored as BCrypt hashes, tokens as SHA-256 hashes;
 * a token is bound to its key and dies with it.
 */
package io.k8scollector.receiver.keys;
