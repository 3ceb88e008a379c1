package dev.basalt.machinery.exec;

/**
 * Runs external programs. The single seam through which Basalt's daemons touch tools such as
 * {@code cryptsetup}, {@code mkfs.xfs} and {@code grub-install}, so logic that drives them is tested against
 * {@link ScriptedExec} and the real thing against {@link ProcessExec}.
 *
 * <p>Implementations are thread-safe: several runs may be in flight at once.
 */
public interface Exec {
    /**
     * Runs {@code command} to completion and returns whatever exit status it had.
     *
     * @throws ExecException when the program cannot be found or started, or exceeds its timeout
     */
    Result run(Command command);

    /**
     * Runs {@code command} and insists on exit status 0.
     *
     * @throws ExecException as {@link #run(Command)}, and when the program exits with another status
     */
    default Result check(Command command) {
        Result result = run(command);
        if (!result.succeeded()) {
            throw ExecException.failedExit(command, result);
        }
        return result;
    }
}
