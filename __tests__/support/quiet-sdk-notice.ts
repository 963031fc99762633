// The AWS SDK warns on Node 20 (eight lines on stderr, once per test process) that releases
// after January 2027 will need Node 22. The locked SDK runs on Node 20 and the commands
// silence it the same way (lib/cli/errors.ts); in the suite it would only bury real output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
