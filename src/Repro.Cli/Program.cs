using Repro.Cli;

return ReproApp.Run(args);
