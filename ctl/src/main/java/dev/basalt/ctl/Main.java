package dev.basalt.ctl;

/** Entry point of basaltctl. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("basaltctl");
    }
}
