package io.k8scollector.receiver.keys;

/** A key pair as {@code keys create} prints it, once; the secret is not stored. */
public record NewKey(String accessKey, String secretKey) {

    @Override
    public String toString() {
        return "NewKey[accessKey=" + accessKey + ", secretKey=***]";
    }
}
