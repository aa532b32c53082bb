using Repro.Cli.Commands;
using Repro.Core;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Repro.Cli;

/// <summary>
/// The <c>repro</c> command line. Exit codes: 0 success, 1 a gate failed or a run diverged,
/// 2 bad input (one line on standard error naming file, place and reason). Bugs keep their stack trace.
/// </summary>
public static class ReproApp
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;

    /// <summary>Exit code when a gate is missed or a run diverges.</summary>
    public const int GateFailed = 1;

    /// <summary>Exit code for bad input.</summary>
    public const int BadInput = 2;

    /// <summary>The version <c>repro --version</c> prints: the assembly's informational version (version+commit).</summary>
    public static string Version { get; } =
        typeof(ReproApp).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";

    /// <summary>Runs the command line with the process's console.</summary>
    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line writing to the given streams (used in-process by tests).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var app = Build(stdout, stderr);
        try
        {
            return app.Run(args);
        }
        catch (InputException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return BadInput;
        }
        catch (CommandAppException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return BadInput;
        }
    }

    static CommandApp Build(TextWriter stdout, TextWriter stderr)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        });
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("repro");
            config.SetApplicationVersion(Version);
            config.ConfigureConsole(console);
            config.PropagateExceptions();
            // Without strict parsing Spectre hands unknown options to the command as "remaining
            // arguments", so `validate --strcit` would quietly validate the default folder.
            config.UseStrictParsing();
            config.Settings.Registrar.RegisterInstance(new Streams(stdout, stderr));
            config.Settings.Registrar.RegisterInstance(console);
            config.AddCommand<ListCommand>("list")
                .WithDescription("List every experiment in a folder with its description.");
            config.AddCommand<ValidateCommand>("validate")
                .WithDescription("Validate experiment definitions (a file or a folder); exit 2 on the first error.");
            config.AddCommand<TruthCommand>("truth")
                .WithDescription("Exact log p₀, ∇log p₀, log p_σ and ∇log p_σ at given points (CSV), or the DSM loss floor.");
            config.AddCommand<StatsCommand>("stats")
                .WithDescription("Compare two samples (mmd, ks, moments) or a sample with an experiment's exact truth (ks, ksd, modes, moments).");
            config.AddCommand<ScoreCheckCommand>("score-check")
                .WithDescription("Check a score network (TorchScript, or a PyTorch state dict of Repro's MLP) against an experiment's exact ∇log p_σ and ∇log p₀.");
            config.AddCommand<SampleCheckCommand>("sample-check")
                .WithDescription("Judge samples from your own sampler (CSV, .npy, .npz) with the report's whole metric suite against an experiment's exact p₀ or p_σ, beside null baselines.");
            config.AddCommand<RunCommand>("run")
                .WithDescription("Train (or reuse) and sample experiments, each with its sweep variants (--no-sweep to skip); write raw results under --out.");
            config.AddCommand<PlanCommand>("plan")
                .WithDescription("List the units (experiment × sweep variant × seed) a run computes, with their identities, in run order; --shard I/N for one shard's.");
            config.AddCommand<MergeCommand>("merge")
                .WithDescription("Combine shard folders (run --shard I/N) or results folders, in any order, into one results folder, byte-identical to a one-process run.");
            config.AddCommand<ReportCommand>("report")
                .WithDescription("Rebuild the Markdown report, figures and tables from stored results (no training, no sampling).");
            config.AddCommand<ReproduceCommand>("reproduce")
                .WithDescription("Run everything, rebuild the report and gate, in a staging copy that replaces the results folder only when complete.");
            config.AddCommand<CalibrateCommand>("calibrate")
                .WithDescription("Measure the gates: false alarms over many correct runs, and deliberately broken runs caught.");
            config.AddCommand<CheckCommand>("check")
                .WithDescription("Re-evaluate every gate on stored results; exit 0 all pass, 1 a gate failed, 2 bad input.");
            config.AddCommand<SlurmCommand>("slurm")
                .WithDescription("Write a Slurm script: a job array of N shards (repro run --shard I/N), then a job after it that merges, reports and gates; submit it with bash.");
            config.AddCommand<DiffCommand>("diff")
                .WithDescription("Compare two results folders (or a git revision's committed reports/) number by number; exit 0 identical, 1 differs, 2 bad input.");
        });
        return app;
    }
}

/// <summary>The output streams a command writes to (the console, or a test's buffers).</summary>
public sealed record Streams(TextWriter Out, TextWriter Error);
