package io.gridtier.model;

/** A configuration that cannot be used; the message says which key is wrong and how to fix it. */
public final class InvalidConfigException extends RuntimeException {
    public InvalidConfigException(String message) {
        super(message);
    }
}
