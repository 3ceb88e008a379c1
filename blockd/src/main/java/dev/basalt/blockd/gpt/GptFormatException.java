package dev.basalt.blockd.gpt;

/** Bytes that should be a GPT structure are not a valid one; the message says which structure and why. */
public final class GptFormatException extends Exception {
    public GptFormatException(String message) {
        super(message);
    }
}
