package io.gridtier.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * A command that prints its results and errors to streams the front door gives it ({@link GridTier#commandLine}:
 * System.out and System.err, or a test's own), rather than to the process's streams directly.
 */
public abstract class PrintingCommand implements Callable<Integer> {
    protected PrintStream out = System.out;
    protected PrintStream err = System.err;

    /** Where this command prints; returns it, for the command tree's builder. */
    public final PrintingCommand printingTo(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        return this;
    }
}
