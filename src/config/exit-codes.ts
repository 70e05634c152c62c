// The process exit codes of every twinfeed command and process (sysexits.h where one fits). The
// numbers are a contract (spec, systemd's RestartPreventExitStatus=78): never renumber one.

/** Done; every scenario expectation held. */
export const EX_OK = 0;
/** Ran, but failed: a scenario expectation did not hold, or a SCADA reader could not start. */
export const EX_FAILED = 1;
/** Bad command line (unknown command, missing or malformed argument). */
export const EX_USAGE = 2;
/** An input that must exist does not (`twinfeed journal --dir` names no journal). */
export const EX_NOINPUT = 66;
/** Nothing answered where a running controller was expected (`twinfeed status`). */
export const EX_UNAVAILABLE = 69;
/** The controller refused `twinfeed status` its credentials (http.auth): none sent, or wrong ones. */
export const EX_NOPERM = 77;
/** A bug: an uncaught exception (systemd restarts the controller, bumpless). */
export const EX_SOFTWARE = 70;
/** The operating system refused something: a port to listen on. */
export const EX_OSERR = 71;
/** Invalid config, board or scenario file: every error printed as `path: problem (hint)`. */
export const EX_CONFIG = 78;
