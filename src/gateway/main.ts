// Placeholder entry point; the CLI lands here next.
process.stderr.write('upsgate: not built yet\n');
process.exit(1);
