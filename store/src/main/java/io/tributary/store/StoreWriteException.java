package io.tributary.store;

/** A change the store could not write (a full or failing disk); whoever waited for it is not acknowledged. */
public final class StoreWriteException extends RuntimeException {

    StoreWriteException(String store, Exception cause) {
        super("the store " + store + " cannot write: " + cause.getMessage(), cause);
    }
}
